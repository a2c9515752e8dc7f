import { describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { adjustPoints } from "~/services/ledger/adjust.server";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { saveProgram } from "~/services/program/versions.server";
import { deliver, expectBalanceMatchesLedger, memberOf, newStore } from "../../support/deliveries";

/** Runs `act` with the process clock at `instant`, so entries are dated (and held) from then. */
async function at<T>(instant: string, act: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(instant));
  try {
    return await act();
  } finally {
    vi.useRealTimers();
  }
}

/** A New York shop (created by the first webhook) holding order points for 14 days. */
async function shopWithPendingPeriod() {
  const store = newStore();
  const ada = store.addCustomer({ email: `pending${store.newId()}@example.com` });
  await deliver("customers/create", ada);
  const shop = await prisma.shop.findFirstOrThrow();
  await prisma.shop.update({ where: { id: shop.id }, data: { timeZone: "America/New_York" } });
  await saveProgram(prisma, shop.id, { pending: { days: 14 } }, "test");
  return { store, ada, shopId: shop.id };
}

const subtract = (shopId: string, customerId: number, points: number, key: string) =>
  adjustPoints({
    shopId,
    customerId: BigInt(customerId),
    points: -points,
    note: null,
    source: "manual",
    idempotencyKey: key,
  });

describe("pending period: order points held, then released by the daily run", () => {
  it("holds an order's points 14 shop-local days; spending cannot touch them until released", async () => {
    const { store, ada, shopId } = await shopWithPendingPeriod();
    // GIVEN an order paid at 23:30 on Mar 1 in New York (already Mar 2 in UTC)
    const order = store.addPaidOrder(ada, [{ title: "Kettle", price: "80.00", quantity: 1 }], {
      at: new Date("2027-03-02T04:30:00Z"),
    });
    await at("2027-03-02T04:30:00Z", () => deliver("orders/paid", order));
    const held = await memberOf(ada.id);
    expect(held).toMatchObject({ pointsBalance: 80, pendingPoints: 80 });
    const record = await prisma.orderRecord.findFirstOrThrow({
      where: { orderId: BigInt(order.id) },
    });
    expect(record.pointsReleaseOn).toBe("2027-03-15");

    // THEN they cannot be spent yet
    await expect(subtract(shopId, ada.id, 10, "spend-early")).rejects.toMatchObject({
      code: "insufficient_points",
    });

    // WHEN the daily run goes on Mar 14 (local) nothing is released; on Mar 15 everything, once
    await runDailyMaintenance(shopId, new Date("2027-03-15T03:00:00Z")); // Mar 14, 23:00 local
    expect((await memberOf(ada.id))?.pendingPoints).toBe(80);
    await runDailyMaintenance(shopId, new Date("2027-03-15T12:00:00Z"));
    await runDailyMaintenance(shopId, new Date("2027-03-15T18:00:00Z"));
    expect(await memberOf(ada.id)).toMatchObject({ pointsBalance: 80, pendingPoints: 0 });

    await subtract(shopId, ada.id, 10, "spend-after");
    expect((await memberOf(ada.id))?.pointsBalance).toBe(70);
    await expectBalanceMatchesLedger(ada.id);
  });

  it("a refund during the period takes back held points, and held never exceeds the balance", async () => {
    const { store, ada, shopId } = await shopWithPendingPeriod();
    await adjustPoints({
      shopId,
      customerId: BigInt(ada.id),
      points: 30,
      note: "goodwill",
      source: "manual",
      idempotencyKey: "goodwill",
    });
    const order = store.addPaidOrder(ada, [{ title: "Cup", price: "20.00", quantity: 3 }], {
      at: new Date("2027-04-01T15:00:00Z"),
    });
    await at("2027-04-01T15:00:00Z", () => deliver("orders/paid", order));
    expect(await memberOf(ada.id)).toMatchObject({ pointsBalance: 90, pendingPoints: 60 });

    // Only the 30 manual points are spendable.
    await subtract(shopId, ada.id, 30, "spend-all-available");
    await expect(subtract(shopId, ada.id, 1, "one-more")).rejects.toMatchObject({
      code: "insufficient_points",
    });

    const refund = store.refundLineItem(order, order.line_items[0]!.id, 1);
    await at("2027-04-03T15:00:00Z", () => deliver("refunds/create", refund));
    expect(await memberOf(ada.id)).toMatchObject({ pointsBalance: 40, pendingPoints: 40 });
    await expectBalanceMatchesLedger(ada.id);
  });
});
