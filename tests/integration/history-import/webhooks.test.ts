import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import {
  expectBalancesMatchLedger,
  installedStore,
  memberByCustomer,
  runImport,
  deliverTo as deliver,
} from "../../support/history";
import { seedHistory } from "../../support/history-fixture";

// Issue 18: webhooks keep arriving while the past is imported. An order the webhooks and the
// import both bring counts once, whichever comes first.

const CHOICES = { pointsDays: 90, storeCredit: false, fireFlows: false };
async function orderEntries(shopId: string, orderId: number) {
  return prisma.ledgerEntry.findMany({ where: { shopId, orderId: BigInt(orderId) } });
}

describe("history import with webhooks arriving around it", () => {
  it("an order and refund the webhooks brought before the import count once", async () => {
    const installed = await installedStore("webhook-first");
    const { customers, orders, bobRefund } = seedHistory(installed);
    await deliver(installed, "orders/paid", orders.bobOrder);
    await deliver(installed, "refunds/create", bobRefund);
    expect((await memberByCustomer(installed.shopId, customers.bob.id)).pointsBalance).toBe(30);

    await runImport(installed, CHOICES);

    const bob = await memberByCustomer(installed.shopId, customers.bob.id);
    expect(bob.pointsBalance).toBe(30);
    const entries = await orderEntries(installed.shopId, orders.bobOrder.id);
    expect(entries.filter((e) => e.kind === "earn")).toHaveLength(1);
    expect(entries.reduce((sum, e) => sum + e.points, 0)).toBe(30);
    await expectBalancesMatchLedger(installed.shopId);
  });

  it("an order, refund and redelivery the webhooks bring after the import change nothing", async () => {
    const installed = await installedStore("webhook-after");
    const { customers, orders, bobRefund } = seedHistory(installed);
    await runImport(installed, CHOICES);
    const before = await prisma.ledgerEntry.count({ where: { shopId: installed.shopId } });

    await deliver(installed, "orders/paid", orders.aliceRecent);
    await deliver(installed, "orders/paid", orders.bobOrder);
    await deliver(installed, "refunds/create", bobRefund);

    expect(await prisma.ledgerEntry.count({ where: { shopId: installed.shopId } })).toBe(before);
    expect((await memberByCustomer(installed.shopId, customers.alice.id)).pointsBalance).toBe(80);
    expect((await memberByCustomer(installed.shopId, customers.bob.id)).pointsBalance).toBe(30);
    await expectBalancesMatchLedger(installed.shopId);
  });

  it("an old order (outside the points window) redelivered after the import earns nothing", async () => {
    const installed = await installedStore("webhook-old");
    const { customers, orders } = seedHistory(installed);
    await runImport(installed, CHOICES);

    await deliver(installed, "orders/paid", orders.aliceSpring);

    expect((await memberByCustomer(installed.shopId, customers.alice.id)).pointsBalance).toBe(80);
    expect(await orderEntries(installed.shopId, orders.aliceSpring.id)).toEqual([]);
  });

  it("an order paid after the install earns as usual while the import is under way", async () => {
    const installed = await installedStore("webhook-new");
    const { customers } = seedHistory(installed);
    const fresh = installed.store.addPaidOrder(customers.frank, [
      { title: "Lamp", price: "45.00", quantity: 1 },
    ]);
    await deliver(installed, "orders/paid", fresh);
    await runImport(installed, CHOICES);

    expect((await memberByCustomer(installed.shopId, customers.frank.id)).pointsBalance).toBe(45);
    await expectBalancesMatchLedger(installed.shopId);
  });
});
