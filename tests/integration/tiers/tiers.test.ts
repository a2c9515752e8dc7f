import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";

const TIERS = [
  {
    id: "silver",
    name: "Silver",
    threshold: { kind: "spend_365d", minor: 100_00 },
    earnMultiplier: 1.5,
    entryBonusPoints: 50,
  },
  {
    id: "gold",
    name: "Gold",
    threshold: { kind: "spend_365d", minor: 500_00 },
    earnMultiplier: 2,
    entryBonusPoints: 200,
  },
];

async function useTiers() {
  // The first webhook creates the shop row; the program is saved for it before any order.
  const store = newStore();
  await deliver("customers/create", store.addCustomer({ email: "setup@example.com" }));
  const shop = await prisma.shop.findFirstOrThrow();
  const saved = await prisma.programVersion.count({ where: { shopId: shop.id } });
  if (saved === 0) {
    await prisma.programVersion.create({
      data: { shopId: shop.id, version: 1, config: { tiers: TIERS } },
    });
  }
  return store;
}

describe("VIP tiers from spend", () => {
  it("places, upgrades with entry bonuses once, and multiplies later earnings", async () => {
    const store = await useTiers();
    const fay = store.addCustomer({ email: "fay@example.com" });

    // GIVEN a first order of 120.00 → Silver (assign) and its 50 point bonus
    await deliver(
      "orders/paid",
      store.addPaidOrder(fay, [{ title: "Pack", price: "120.00", quantity: 1 }]),
    );
    let member = await memberOf(fay.id);
    expect(member?.tierId).toBe("silver");
    expect(member?.pointsBalance).toBe(120 + 50);
    const [assigned] = await eventsOf(fay.id, "tier.updated");
    expect(assigned?.payload).toMatchObject({
      change: "spending_assign",
      previous_tier: null,
      current_tier: "Silver",
      locked_until: null,
    });
    expect((assigned?.payload as { entry_date: string }).entry_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(assigned?.snapshot).toMatchObject({ vip_tier: "Silver" });

    // WHEN a 400.00 order arrives (earned at Silver's 1.5×, then Gold reached)
    await deliver(
      "orders/paid",
      store.addPaidOrder(fay, [{ title: "Tent", price: "400.00", quantity: 1 }]),
    );

    // THEN 600 points for the order, Gold with its 200 bonus, one bonus per tier
    member = await memberOf(fay.id);
    expect(member?.tierId).toBe("gold");
    expect(member?.pointsBalance).toBe(170 + 600 + 200);
    const changes = (await eventsOf(fay.id, "tier.updated")).map(
      (e) => (e.payload as { change: string }).change,
    );
    expect(changes).toEqual(["spending_assign", "spending_upgrade"]);
    const bonuses = await prisma.ledgerEntry.findMany({
      where: { memberId: member!.id, source: "tier_bonus" },
    });
    expect(bonuses.map((b) => b.points).sort()).toEqual([200, 50]);
    await expectBalanceMatchesLedger(fay.id);
  });

  it("a refund that takes back the spend an upgrade stood on undoes it, with its entry bonus", async () => {
    const store = await useTiers();
    const gus = store.addCustomer({ email: "gus@example.com" });
    const order = store.addPaidOrder(gus, [{ title: "Stove", price: "150.00", quantity: 1 }]);
    await deliver("orders/paid", order);
    expect((await memberOf(gus.id))?.tierId).toBe("silver");

    await deliver("refunds/create", store.refundLineItem(order, order.line_items[0]!.id, 1));

    // THEN no tier: the order's 150 points and Silver's 50-point entry bonus are taken back
    const member = await memberOf(gus.id);
    expect(member?.tierId).toBeNull();
    expect(member?.pointsBalance).toBe(0);
    const [, undone] = await eventsOf(gus.id, "tier.updated");
    expect(undone?.payload).toEqual({
      change: "spending_downgrade",
      reason: "refund",
      previous_tier: "Silver",
      current_tier: null,
      entry_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      locked_until: null,
      expires_at: null,
    });
    const subtracted = (await eventsOf(gus.id, "points.subtracted")).map((e) => e.payload);
    expect(subtracted).toEqual([
      expect.objectContaining({
        points: 150,
        source: "order_refund",
        order_id: order.id.toString(),
      }),
      expect.objectContaining({
        points: 50,
        source: "order_refund",
        order_id: order.id.toString(),
      }),
    ]);
    await expectBalanceMatchesLedger(gus.id);
  });

  it("a refund that leaves the spend the tier needs keeps it", async () => {
    const store = await useTiers();
    const hal = store.addCustomer({ email: "hal@example.com" });
    const order = store.addPaidOrder(hal, [{ title: "Mug", price: "30.00", quantity: 5 }]);
    await deliver("orders/paid", order);

    // WHEN one of five mugs comes back: 120.00 of goods kept, Silver needs 100.00
    await deliver("refunds/create", store.refundLineItem(order, order.line_items[0]!.id, 1));

    const member = await memberOf(hal.id);
    expect(member?.tierId).toBe("silver");
    expect(await eventsOf(hal.id, "tier.updated")).toHaveLength(1);
    expect(member?.pointsBalance).toBe(150 * 1 + 50 - 30); // earned at no tier's 1×; 30 back
    await expectBalanceMatchesLedger(hal.id);
  });
});
