import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import type { SandboxCustomer, SandboxStore } from "../../../sandbox/shopify/store";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  mergePayload,
} from "../../support/deliveries";
import { shopWithTiers } from "../../support/tiers";

// ADR 0054, entry bonuses and rewards follow the entries that stand on the member's facts,
// whatever order those facts arrive in: a bonus paid for a tier the facts never entered (a late
// earlier order went past it; a merge joined two customers who had each entered it alone) is
// taken back, and a tier entered once keeps one entry reward. Through signed webhooks, both
// arrival orders, with the exact events.

const DAY = 86_400_000;

/** What must not depend on the arrival order: points, lifetime, tier and dates, rewards held. */
async function stateOf(customer: SandboxCustomer) {
  const member = (await memberOf(customer.id))!;
  const grants = await prisma.rewardGrant.findMany({
    where: { memberId: member.id, occasion: "tier_entry" },
  });
  const held = (tierId: string) =>
    grants.filter((g) => g.idempotencyKey.split(":")[3] === tierId && g.state === "pending").length;
  await expectBalanceMatchesLedger(customer.id);
  return {
    pointsBalance: member.pointsBalance,
    lifetimeEarned: member.lifetimeEarned,
    tierId: member.tierId,
    tierEnteredAt: member.tierEnteredAt,
    tierPeriodEndsAt: member.tierPeriodEndsAt,
    rewardsHeld: { silver: held("silver"), gold: held("gold") },
  };
}

const payloads = async (customer: SandboxCustomer, type: string) =>
  (await eventsOf(customer.id, type)).map((e) => e.payload);

describe("a bonus for a tier the member's facts never entered is taken back", () => {
  const at = Date.now();
  function orders(store: SandboxStore, email: string) {
    const customer = store.addCustomer({ email });
    // 1,200.00 thirty days ago (Gold at once), 150.00 ten days ago (bought in Gold)
    const big = store.addPaidOrder(customer, [{ title: "Bike", price: "1200.00", quantity: 1 }], {
      at: new Date(at - 30 * DAY),
    });
    const small = store.addPaidOrder(customer, [{ title: "Bell", price: "150.00", quantity: 1 }], {
      at: new Date(at - 10 * DAY),
    });
    return { customer, big, small };
  }

  it("a late earlier order that went straight to Gold: Silver's bonus and reward go back", async () => {
    const { store } = await shopWithTiers({ entryReward: true });
    const inOrder = orders(store, "ida-in-order@example.com");
    await deliver("orders/paid", inOrder.big);
    await deliver("orders/paid", inOrder.small);

    // The later order first: Silver, its bonus and its entry reward
    const late = orders(store, "ida-late@example.com");
    await deliver("orders/paid", late.small);
    expect(await stateOf(late.customer)).toMatchObject({
      tierId: "silver",
      pointsBalance: 160,
      rewardsHeld: { silver: 1, gold: 0 },
    });
    // WHEN the earlier order arrives: Gold from thirty days ago, Silver never entered
    await deliver("orders/paid", late.big);

    // THEN the same state as in order: 1,200 + 100 (Gold) + 150 at Gold's 2×, one Gold reward
    const expected = await stateOf(inOrder.customer);
    expect(expected).toEqual({
      pointsBalance: 1_600,
      lifetimeEarned: 1_600,
      tierId: "gold",
      tierEnteredAt: new Date(at - 30 * DAY),
      tierPeriodEndsAt: new Date(at - 30 * DAY + 365 * DAY),
      rewardsHeld: { silver: 0, gold: 1 },
    });
    expect(await stateOf(late.customer)).toEqual(expected);
    // … and events for the changes the stored member really went through
    expect(await payloads(late.customer, "tier.updated")).toEqual([
      expect.objectContaining({
        change: "spending_assign",
        reason: "spend",
        previous_tier: null,
        current_tier: "Silver",
      }),
      expect.objectContaining({
        change: "spending_upgrade",
        reason: "spend",
        previous_tier: "Silver",
        current_tier: "Gold",
        expires_at: new Date(at - 30 * DAY + 365 * DAY).toISOString(),
      }),
    ]);
    expect(await payloads(late.customer, "points.subtracted")).toEqual([
      {
        points: 10,
        source: "tier_bonus",
        order_id: null,
        order_name: null,
        note: "VIP tier entry bonus taken back: Silver was not entered",
      },
    ]);
    expect(
      (await payloads(late.customer, "points.added")).filter(
        (p) => (p as { source: string }).source === "tier_bonus",
      ),
    ).toEqual([
      { points: 10, source: "tier_bonus", order_id: null, order_name: null, note: null },
      { points: 100, source: "tier_bonus", order_id: null, order_name: null, note: null },
    ]);
    // In order, nothing was paid or taken back for Silver
    expect(await payloads(inOrder.customer, "points.subtracted")).toEqual([]);
  });
});

describe("a merge joins two customers who each entered a tier alone", () => {
  const at = Date.now();
  function customers(store: SandboxStore, label: string) {
    const kept = store.addCustomer({ email: `kim-${label}@example.com` });
    const gone = store.addCustomer({ email: `gus-${label}@example.com` });
    // Kim reached Gold thirty days ago; Gus, on his own, ten days ago
    const keptOrder = store.addPaidOrder(kept, [{ title: "Bike", price: "1200.00", quantity: 1 }], {
      at: new Date(at - 30 * DAY),
    });
    const goneOrder = store.addPaidOrder(gone, [{ title: "Desk", price: "1100.00", quantity: 1 }], {
      at: new Date(at - 10 * DAY),
    });
    return { kept, gone, keptOrder, goneOrder };
  }

  it("the merged timeline entered Gold once: one bonus and one reward, whichever came first", async () => {
    const { store } = await shopWithTiers({ entryReward: true });
    // The merge before the orders: Gus's order is Kim's, bought in Gold
    const first = customers(store, "merge-first");
    await deliver("customers/create", first.kept);
    await deliver("customers/create", first.gone);
    await deliver("customers/merge", mergePayload(first.kept, first.gone));
    await deliver("orders/paid", first.keptOrder);
    await deliver("orders/paid", first.goneOrder);

    // The merge after the orders: each entered Gold alone and was paid its bonus
    const last = customers(store, "merge-last");
    await deliver("customers/create", last.kept);
    await deliver("customers/create", last.gone);
    await deliver("orders/paid", last.keptOrder);
    await deliver("orders/paid", last.goneOrder);
    expect((await memberOf(last.gone.id))?.pointsBalance).toBe(1_200);
    await deliver("customers/merge", mergePayload(last.kept, last.gone));

    // 1,200 + 100 (Gold, once) + 1,100 at Gold's 2×; Gold from Kim's order; one Gold reward
    const expected = await stateOf(first.kept);
    expect(expected).toEqual({
      pointsBalance: 3_500,
      lifetimeEarned: 3_500,
      tierId: "gold",
      tierEnteredAt: new Date(at - 30 * DAY),
      tierPeriodEndsAt: new Date(at - 30 * DAY + 365 * DAY),
      rewardsHeld: { silver: 0, gold: 1 },
    });
    expect(await stateOf(last.kept)).toEqual(expected);
    expect(await memberOf(last.gone.id)).toMatchObject({ pointsBalance: 0, tierId: null });

    // The bonus Gus was paid moved with his points; Gold owes one bonus, so his goes back
    expect(await payloads(last.kept, "points.subtracted")).toEqual([
      {
        points: 100,
        source: "tier_bonus",
        order_id: null,
        order_name: null,
        note: "VIP tier entry bonus taken back: Gold is owed its entry bonus once",
      },
    ]);
    // Kim's tier did not change: no tier.updated beyond her own entry
    expect(await payloads(last.kept, "tier.updated")).toEqual([
      expect.objectContaining({
        change: "spending_assign",
        previous_tier: null,
        current_tier: "Gold",
      }),
    ]);
    expect(await payloads(last.kept, "customer.merged")).toEqual([
      {
        kept_customer_id: String(last.kept.id),
        merged_customer_id: String(last.gone.id),
        merged_points_balance: 1_200,
        combined_points_balance: 2_400,
        current_tier: "Gold",
      },
    ]);
    expect(await payloads(first.kept, "points.subtracted")).toEqual([]);
    // Gus's withdrawn reward is revoked, Kim keeps hers
    const grants = await prisma.rewardGrant.findMany({
      where: { memberId: (await memberOf(last.kept.id))!.id, occasion: "tier_entry" },
      orderBy: { createdAt: "asc" },
    });
    const gusMember = (await memberOf(last.gone.id))!;
    expect(grants.map((g) => [g.idempotencyKey, g.state])).toEqual([
      [`grant:tier_entry:${(await memberOf(last.kept.id))!.id}:gold`, "pending"],
      [`grant:tier_entry:${gusMember.id}:gold`, "revoked"],
    ]);
  });
});
