import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";

describe("orders move points through the ledger", () => {
  it("orders/paid earns 1 point per dollar after discounts, once, with a points.added event", async () => {
    // GIVEN a customer's paid order of 2 × 24.50 + 5.00 shipping
    const store = newStore();
    const ada = store.addCustomer({ email: "ada@example.com", first_name: "Ada", last_name: "L" });
    const order = store.addPaidOrder(ada, [{ title: "Mug", price: "24.50", quantity: 2 }], {
      shipping: "5.00",
    });

    // WHEN Shopify delivers it twice (two deliveries of one event) and once more later
    await deliver("orders/paid", order);
    await deliver("orders/paid", order);

    // THEN 49 points (shipping excluded, rounded down), one entry, one event
    const member = await memberOf(ada.id);
    expect(member?.pointsBalance).toBe(49);
    expect(member?.lifetimeEarned).toBe(49);
    const entries = await prisma.ledgerEntry.findMany({ where: { memberId: member!.id } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: "earn",
      source: "purchase",
      points: 49,
      balanceAfter: 49,
    });
    const [added] = await eventsOf(ada.id, "points.added");
    expect(added?.payload).toEqual({
      points: 49,
      source: "purchase",
      order_id: String(order.id),
      order_name: order.name,
      note: null,
    });
    expect(added?.snapshot).toMatchObject({ points_balance: 49, email: "ada@example.com" });
    expect(added?.deliveries.map((d) => d.destination).sort()).toEqual([
      "flow",
      "klaviyo",
      "omnisend",
    ]);
    await expectBalanceMatchesLedger(ada.id);
  });

  it("partial refunds claw back proportionally and never more than was earned", async () => {
    const store = newStore();
    const bob = store.addCustomer({ email: "bob@example.com" });
    const order = store.addPaidOrder(bob, [{ title: "Boots", price: "33.33", quantity: 3 }]);
    const line = order.line_items[0]!;
    await deliver("orders/paid", order);
    expect((await memberOf(bob.id))?.pointsBalance).toBe(99);

    await deliver("refunds/create", store.refundLineItem(order, line.id, 1));
    expect((await memberOf(bob.id))?.pointsBalance).toBe(66);
    await deliver("refunds/create", store.refundLineItem(order, line.id, 2));

    expect((await memberOf(bob.id))?.pointsBalance).toBe(0);
    const subtracted = await eventsOf(bob.id, "points.subtracted");
    expect(subtracted.map((e) => (e.payload as { points: number }).points)).toEqual([33, 66]);
    expect((subtracted[0]?.payload as { source: string }).source).toBe("order_refund");
    await expectBalanceMatchesLedger(bob.id);
  });

  it("a refund that arrives before its paid order ends in the same state", async () => {
    const inOrder = newStore();
    const reordered = newStore();
    const a = inOrder.addCustomer({ email: "in-order@example.com" });
    const b = reordered.addCustomer({ email: "reordered@example.com" });
    const orderA = inOrder.addPaidOrder(a, [{ title: "Tent", price: "120.00", quantity: 2 }]);
    const orderB = reordered.addPaidOrder(b, [{ title: "Tent", price: "120.00", quantity: 2 }]);
    const refundA = inOrder.refundLineItem(orderA, orderA.line_items[0]!.id, 1);
    const refundB = reordered.refundLineItem(orderB, orderB.line_items[0]!.id, 1);

    await deliver("orders/paid", orderA);
    await deliver("refunds/create", refundA);
    await deliver("refunds/create", refundB);
    await deliver("orders/paid", orderB);

    expect((await memberOf(a.id))?.pointsBalance).toBe(120);
    expect((await memberOf(b.id))?.pointsBalance).toBe(120);
    await expectBalanceMatchesLedger(b.id);
  });

  it("a cancellation reverses what is left after refunds", async () => {
    const store = newStore();
    const cat = store.addCustomer({ email: "cat@example.com" });
    const order = store.addPaidOrder(cat, [{ title: "Lamp", price: "10.00", quantity: 5 }]);
    await deliver("orders/paid", order);
    await deliver("refunds/create", store.refundLineItem(order, order.line_items[0]!.id, 2));

    await deliver("orders/cancelled", store.cancelOrder(order));
    await deliver("orders/cancelled", order);

    expect((await memberOf(cat.id))?.pointsBalance).toBe(0);
    const reasons = (await eventsOf(cat.id, "points.subtracted")).map(
      (e) => (e.payload as { source: string; points: number }).source,
    );
    expect(reasons).toEqual(["order_refund", "order_cancelled"]);
    await expectBalanceMatchesLedger(cat.id);
  });

  it("a guest order earns nothing and is marked ignored", async () => {
    const store = newStore();
    const order = store.addPaidOrder(null, [{ title: "Gift", price: "80.00", quantity: 1 }]);

    const delivery = await deliver("orders/paid", order);

    expect(delivery.outcome).toBe("ignored");
    expect(await prisma.ledgerEntry.count({ where: { orderId: BigInt(order.id) } })).toBe(0);
  });

  it("an invalid payload is recorded as rejected with the reason and changes nothing", async () => {
    const before = await prisma.ledgerEntry.count();

    const delivery = await deliver("orders/paid", { id: 12, currency: "USD", line_items: "nope" });

    expect(delivery.outcome).toBe("rejected");
    expect(delivery.processedAt).not.toBeNull();
    expect(delivery.lastError).toMatch(/invalid payload: .*line_items/);
    expect(await prisma.ledgerEntry.count()).toBe(before);
  });
});

describe("customers become members", () => {
  it("customers/create activates a member once, with the exact member.activated payload", async () => {
    const store = newStore();
    const dee = store.addCustomer({
      email: "dee@example.com",
      first_name: "Dee",
      state: "disabled",
    });

    await deliver("customers/create", dee);
    await deliver("customers/create", dee);

    const events = await eventsOf(dee.id, "member.activated");
    expect(events).toHaveLength(1);
    const member = await memberOf(dee.id);
    expect(events[0]?.payload).toEqual({
      activated_at: member!.createdAt.toISOString(),
      account_registered: false,
      source: "customer_created",
    });
    expect(events[0]?.snapshot).toEqual({
      customer_id: String(dee.id),
      email: "dee@example.com",
      phone: null,
      first_name: "Dee",
      last_name: null,
      points_balance: 0,
      store_credit_balance_minor: null,
      store_credit_currency: null,
      vip_tier: null,
      lifetime_points_earned: 0,
      lifetime_points_spent: 0,
    });
  });

  it("customers/enable registers the account and pays the welcome bonus once", async () => {
    const shop = await prisma.shop.findFirstOrThrow();
    await prisma.programVersion.create({
      data: { shopId: shop.id, version: 1, config: { bonuses: { welcomePoints: 100 } } },
    });
    const store = newStore();
    const eve = store.addCustomer({ email: "eve@example.com", state: "enabled" });

    await deliver("customers/enable", eve);
    await deliver("customers/enable", eve);

    const member = await memberOf(eve.id);
    expect(member?.pointsBalance).toBe(100);
    expect(member?.accountRegisteredAt).not.toBeNull();
    const [registered] = await eventsOf(eve.id, "member.account_registered");
    expect(registered?.payload).toEqual({ welcome_bonus_points: 100 });
    const [bonus] = await eventsOf(eve.id, "points.added");
    expect(bonus?.payload).toMatchObject({ points: 100, source: "welcome_bonus" });
    await expectBalanceMatchesLedger(eve.id);
  });
});
