import { describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { adjustPoints } from "~/services/ledger/adjust.server";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { saveProgram } from "~/services/program/versions.server";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";

/** Runs `act` with the process clock at `instant`, so entries and events are dated then. */
async function at<T>(instant: string, act: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(instant));
  try {
    return await act();
  } finally {
    vi.useRealTimers();
  }
}

/** The shop (created by the first webhook) in New York, with this expiry program. */
async function newYorkShopWithExpiry(expiry: object) {
  const shop = await prisma.shop.findFirstOrThrow();
  await prisma.shop.update({ where: { id: shop.id }, data: { timeZone: "America/New_York" } });
  await saveProgram(prisma, shop.id, { expiry }, "test");
  return shop.id;
}

const run = (shopId: string, now: string) => runDailyMaintenance(shopId, new Date(now));

describe("daily points expiry (shop in America/New_York)", () => {
  it("reminds once, then expires exactly what is left of the lot, once", async () => {
    // GIVEN lot A: 100 points on Jan 10 (local), half refunded on Jan 21; lot B: 40 points on Jan 20
    const store = newStore();
    const ada = store.addCustomer({ email: "ada@example.com" });
    const first = store.addPaidOrder(ada, [{ title: "Mug", price: "50.00", quantity: 2 }], {
      at: new Date("2027-01-10T15:00:00Z"),
    });
    await at("2027-01-10T15:00:00Z", () => deliver("orders/paid", first));
    const shopId = await newYorkShopWithExpiry({
      kind: "per_lot",
      days: 30,
      reminderDaysBefore: 7,
    });
    const second = store.addPaidOrder(ada, [{ title: "Tea", price: "40.00", quantity: 1 }], {
      at: new Date("2027-01-20T15:00:00Z"),
    });
    await at("2027-01-20T15:00:00Z", () => deliver("orders/paid", second));
    const refund = store.refundLineItem(first, first.line_items[0]!.id, 1);
    await at("2027-01-21T15:00:00Z", () => deliver("refunds/create", refund));
    expect((await memberOf(ada.id))?.pointsBalance).toBe(90);

    // WHEN the job runs twice on Feb 2 (lot A's last day, Feb 9, is 7 days away) and on Feb 3
    await run(shopId, "2027-02-02T12:00:00Z");
    await run(shopId, "2027-02-02T23:00:00Z");
    await run(shopId, "2027-02-03T12:00:00Z");

    // THEN one reminder for what is left of lot A; lot B's window has not opened
    const expiring = await eventsOf(ada.id, "points.expiring");
    expect(expiring.map((e) => e.payload)).toEqual([
      { points_expiring: 50, expiry_date: "2027-02-09", days_left: 7 },
    ]);
    expect(expiring[0]?.deliveries.map((d) => d.destination).sort()).toEqual([
      "flow",
      "klaviyo",
      "omnisend",
    ]);

    // WHEN the job runs at 23:59 on Feb 9 in New York: still usable
    await run(shopId, "2027-02-10T04:59:59Z");
    expect(await eventsOf(ada.id, "points.expired")).toHaveLength(0);

    // WHEN it runs from local midnight on, twice
    const summary = await run(shopId, "2027-02-10T05:00:00Z");
    await run(shopId, "2027-02-10T18:00:00Z");

    // THEN exactly the 50 points left of lot A expire, in one entry and one points.expired event
    expect(summary).toMatchObject({ expiredPoints: 50, failed: 0 });
    const member = await memberOf(ada.id);
    expect(member?.pointsBalance).toBe(40);
    const entries = await prisma.ledgerEntry.findMany({
      where: { memberId: member!.id, kind: "expiry" },
    });
    const lotA = await prisma.ledgerEntry.findFirstOrThrow({
      where: { memberId: member!.id, idempotencyKey: `order:${first.id}:earn` },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      points: -50,
      source: "expired",
      idempotencyKey: `expire:${lotA.id}`,
      balanceAfter: 40,
      detail: { lotId: lotA.id, remaining: 50 },
    });
    const expired = await eventsOf(ada.id, "points.expired");
    expect(expired).toHaveLength(1);
    // last activity: the Jan 20 order (a refund is not activity), as a New York date
    expect(expired[0]?.payload).toEqual({ points_expired: 50, last_activity_date: "2027-01-20" });
    expect(expired[0]?.snapshot).toMatchObject({ points_balance: 40 });
    expect(expired[0]?.occurredAt.toISOString()).toBe("2027-02-10T05:00:00.000Z");
    // no catalog points.subtracted source means expiry: it must not pretend to be one
    const subtracted = await eventsOf(ada.id, "points.subtracted");
    expect(subtracted.map((e) => (e.payload as { source: string }).source)).toEqual([
      "order_refund",
    ]);
    await expectBalanceMatchesLedger(ada.id);

    // AND lot B gets its own reminder in its own window, then expires on Feb 20 local
    await run(shopId, "2027-02-12T12:00:00Z");
    await run(shopId, "2027-02-20T06:00:00Z");
    expect((await eventsOf(ada.id, "points.expiring")).map((e) => e.payload)).toEqual([
      { points_expiring: 50, expiry_date: "2027-02-09", days_left: 7 },
      { points_expiring: 40, expiry_date: "2027-02-19", days_left: 7 },
    ]);
    expect((await memberOf(ada.id))?.pointsBalance).toBe(0);
    await expectBalanceMatchesLedger(ada.id);
  });

  it("expires once when two runs race, and a failing member does not stop the others", async () => {
    const store = newStore();
    const bea = store.addCustomer({ email: "bea@example.com" });
    const cal = store.addCustomer({ email: "cal@example.com" });
    await at("2027-03-01T15:00:00Z", async () => {
      await deliver(
        "orders/paid",
        store.addPaidOrder(bea, [{ title: "A", price: "30.00", quantity: 1 }]),
      );
      await deliver(
        "orders/paid",
        store.addPaidOrder(cal, [{ title: "B", price: "20.00", quantity: 1 }]),
      );
    });
    const shopId = await newYorkShopWithExpiry({ kind: "per_lot", days: 30 });
    const calId = (await memberOf(cal.id))!.id;
    // GIVEN Cal's ledger refuses writes for now (a stand-in for any per-member failure)
    await prisma.$executeRawUnsafe(`
      CREATE FUNCTION refuse_cal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'ledger unavailable'; END $$`);
    await prisma.$executeRawUnsafe(`
      CREATE TRIGGER refuse_cal BEFORE INSERT ON "LedgerEntry" FOR EACH ROW
      WHEN (NEW."memberId" = '${calId}'::uuid) EXECUTE FUNCTION refuse_cal()`);

    // WHEN two runs of the same day race, 31 days later
    const now = "2027-04-01T12:00:00Z";
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const results = await Promise.allSettled([run(shopId, now), run(shopId, now)]);
    const lines = logged.mock.calls.map(([line]) => JSON.parse(String(line)) as unknown);
    logged.mockRestore();

    // THEN both report Cal's failure (so the job retries), and Bea's 30 points expired once
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/failed for 1 member/);
    expect(lines).toMatchObject([
      { message: "daily maintenance failed for a member", memberId: calId },
      { message: "daily maintenance failed for a member", memberId: calId },
    ]);
    expect((await memberOf(bea.id))?.pointsBalance).toBe(0);
    expect(await eventsOf(bea.id, "points.expired")).toHaveLength(1);
    expect((await memberOf(cal.id))?.pointsBalance).toBe(20);
    expect(await eventsOf(cal.id, "points.expired")).toHaveLength(0);

    // WHEN the cause is gone and the job is retried THEN Cal catches up, Bea is not touched again
    await prisma.$executeRawUnsafe(`DROP TRIGGER refuse_cal ON "LedgerEntry"`);
    await expect(run(shopId, now)).resolves.toMatchObject({ expiredPoints: 20, failed: 0 });
    expect((await memberOf(cal.id))?.pointsBalance).toBe(0);
    expect(await eventsOf(bea.id, "points.expired")).toHaveLength(1);
    await expectBalanceMatchesLedger(bea.id);
    await expectBalanceMatchesLedger(cal.id);
  });

  it("inactivity: expires every lot N days after the last activity; manual credits stay", async () => {
    // GIVEN 80 points earned on May 1, and the program on inactivity expiry: 60 days, reminder 10
    const store = newStore();
    const dee = store.addCustomer({ email: "dee@example.com" });
    const order = store.addPaidOrder(dee, [{ title: "Kettle", price: "80.00", quantity: 1 }], {
      at: new Date("2027-05-01T15:00:00Z"),
    });
    await at("2027-05-01T15:00:00Z", () => deliver("orders/paid", order));
    const shopId = await newYorkShopWithExpiry({
      kind: "inactivity",
      days: 60,
      reminderDaysBefore: 10,
    });
    // a merchant's manual credit is not activity, and is not a lot: it never expires
    await at("2027-05-20T15:00:00Z", () =>
      adjustPoints({
        shopId,
        customerId: BigInt(dee.id),
        points: 25,
        note: "Sorry for the delay",
        source: "manual",
        idempotencyKey: "admin:dee-goodwill",
      }),
    );

    // WHEN the job runs 10 days before the last day (Jun 30), then at New York midnight (EDT)
    await run(shopId, "2027-06-20T12:00:00Z");
    await run(shopId, "2027-07-01T03:59:59Z");
    await run(shopId, "2027-07-01T04:00:00Z");
    await run(shopId, "2027-07-02T04:00:00Z");

    // THEN one reminder, and the earned 80 points expired once with the activity date
    expect((await eventsOf(dee.id, "points.expiring")).map((e) => e.payload)).toEqual([
      { points_expiring: 80, expiry_date: "2027-06-30", days_left: 10 },
    ]);
    expect((await eventsOf(dee.id, "points.expired")).map((e) => e.payload)).toEqual([
      { points_expired: 80, last_activity_date: "2027-05-01" },
    ]);
    expect((await memberOf(dee.id))?.pointsBalance).toBe(25);
    await expectBalanceMatchesLedger(dee.id);
  });
});
