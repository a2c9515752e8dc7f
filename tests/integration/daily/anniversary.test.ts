import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { saveProgram } from "~/services/program/versions.server";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";

/** A member who joined at `joinedAt`, in a New York shop with a 50-point anniversary bonus. */
async function memberJoinedAt(joinedAt: string) {
  const store = newStore();
  const customer = store.addCustomer({ email: `anniversary${store.newId()}@example.com` });
  await deliver("customers/create", customer);
  const shop = await prisma.shop.findFirstOrThrow();
  await prisma.shop.update({ where: { id: shop.id }, data: { timeZone: "America/New_York" } });
  await saveProgram(prisma, shop.id, { bonuses: { anniversaryPoints: 50 } }, "test");
  const member = await memberOf(customer.id);
  await prisma.member.update({
    where: { id: member!.id },
    data: { createdAt: new Date(joinedAt) },
  });
  return { shopId: shop.id, customerId: customer.id };
}

const run = (shopId: string, now: string) => runDailyMaintenance(shopId, new Date(now));

describe("anniversary bonus (daily run, shop in America/New_York)", () => {
  it("a Feb 29 join is celebrated on Feb 28 in a non-leap year, once, then caught up late", async () => {
    // Joined Feb 29, 2024, 22:00 in New York (already Mar 1 in UTC).
    const { shopId, customerId } = await memberJoinedAt("2024-03-01T03:00:00Z");

    await run(shopId, "2025-02-28T04:00:00Z"); // Feb 27, 23:00 local: not yet
    expect((await memberOf(customerId))?.pointsBalance).toBe(0);
    await run(shopId, "2025-02-28T17:00:00Z");
    // A bonus is activity, dated by the run's clock (not the machine's).
    expect((await memberOf(customerId))?.lastActivityAt).toEqual(new Date("2025-02-28T17:00:00Z"));
    await run(shopId, "2025-02-28T23:00:00Z");
    await run(shopId, "2025-03-02T17:00:00Z");
    expect((await memberOf(customerId))?.pointsBalance).toBe(50);

    // 2026: the scheduler was down on Feb 28; the run four days later still grants that year's.
    await run(shopId, "2026-03-04T17:00:00Z");
    expect((await memberOf(customerId))?.pointsBalance).toBe(100);

    const added = await eventsOf(customerId, "points.added");
    expect(added.map((e) => e.payload)).toEqual([
      { points: 50, source: "anniversary", order_id: null, order_name: null, note: null },
      { points: 50, source: "anniversary", order_id: null, order_name: null, note: null },
    ]);
    const keys = await prisma.ledgerEntry.findMany({
      where: { source: "anniversary" },
      select: { idempotencyKey: true },
    });
    expect(keys.map((k) => k.idempotencyKey.split(":").at(-1)).sort()).toEqual(["2025", "2026"]);
    await expectBalanceMatchesLedger(customerId);
  });

  it("nothing in the year of joining, and nothing when the bonus is off", async () => {
    const { shopId, customerId } = await memberJoinedAt("2025-06-10T15:00:00Z");
    await run(shopId, "2025-06-10T20:00:00Z");
    expect((await memberOf(customerId))?.pointsBalance).toBe(0);
    await saveProgram(prisma, shopId, { bonuses: { anniversaryPoints: 0 } }, "test");
    await run(shopId, "2026-06-10T20:00:00Z");
    expect((await memberOf(customerId))?.pointsBalance).toBe(0);
  });
});
