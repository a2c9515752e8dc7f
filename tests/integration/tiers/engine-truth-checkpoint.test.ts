import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { setMemberTier } from "~/services/tiers/set-tier.server";
import type { SandboxCustomer, SandboxStore } from "../../../sandbox/shopify/store";
import { deliver, eventsOf, expectBalanceMatchesLedger, memberOf } from "../../support/deliveries";
import { shopWithTiers } from "../../support/tiers";

// ADR 0054, the merchant's assignment is a fact at its instant: an order paid before it moves
// the tier (and owes its bonus) the same whether its webhook came before or after the merchant
// chose, and the member still ends on the tier the merchant chose. Both arrival orders, through
// signed webhooks and the "Set VIP tier" service, with the exact events.

const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** The member's state, its dates counted from the merchant's assignment (`assignedAt`). */
async function stateOf(customer: SandboxCustomer, assignedAt: Date) {
  const member = (await memberOf(customer.id))!;
  const grants = await prisma.rewardGrant.findMany({
    where: { memberId: member.id, occasion: "tier_entry", state: "pending" },
  });
  await expectBalanceMatchesLedger(customer.id);
  const from = (at: Date | null) => (at ? at.getTime() - assignedAt.getTime() : null);
  return {
    pointsBalance: member.pointsBalance,
    lifetimeEarned: member.lifetimeEarned,
    tierId: member.tierId,
    enteredAfterAssignment: from(member.tierEnteredAt),
    endsAfterAssignment: from(member.tierPeriodEndsAt),
    rewardsHeld: grants.map((g) => g.idempotencyKey.split(":")[3]).sort(),
  };
}

const payloads = async (customer: SandboxCustomer, type: string) =>
  (await eventsOf(customer.id, type)).map((e) => e.payload);

/** The order delivered before the merchant's assignment, and after it. */
async function bothWays(
  store: SandboxStore,
  shopId: string,
  price: string,
  tier: string,
  label: string,
) {
  const runs = [];
  for (const orderFirst of [true, false]) {
    const customer = store.addCustomer({ email: `${label}-${orderFirst}@example.com` });
    await deliver("customers/create", customer);
    const order = store.addPaidOrder(customer, [{ title: "Item", price, quantity: 1 }], {
      at: new Date(Date.now() - 5 * DAY),
    });
    if (orderFirst) await deliver("orders/paid", order);
    const before = Date.now();
    await setMemberTier(shopId, BigInt(customer.id), tier, null);
    const assignedAt = (await memberOf(customer.id))!.tierPeriodEndsAt!;
    expect(assignedAt.getTime() - YEAR).toBeGreaterThanOrEqual(before);
    if (!orderFirst) await deliver("orders/paid", order);
    runs.push({ customer, state: await stateOf(customer, new Date(assignedAt.getTime() - YEAR)) });
  }
  return runs;
}

describe("an order paid before the merchant's assignment, delivered after it", () => {
  it("the tier it reached before is entered and owes its bonus; the assigned tier stands", async () => {
    const { store, shopId } = await shopWithTiers({ entryReward: true });
    const [orderFirst, assignedFirst] = await bothWays(store, shopId, "150.00", "Gold", "amy");

    // 150 + 10 (Silver, reached five days ago) + 100 (Gold, assigned); Gold from the assignment
    expect(orderFirst!.state).toEqual({
      pointsBalance: 260,
      lifetimeEarned: 260,
      tierId: "gold",
      enteredAfterAssignment: 0,
      endsAfterAssignment: YEAR,
      rewardsHeld: ["gold", "silver"],
    });
    expect(assignedFirst!.state).toEqual(orderFirst!.state);
    // The late order moved nothing the member holds: no tier.updated, only its points and bonus
    expect(await payloads(assignedFirst!.customer, "tier.updated")).toEqual([
      expect.objectContaining({
        change: "manual_assign",
        reason: "manual",
        previous_tier: null,
        current_tier: "Gold",
      }),
    ]);
    expect(await payloads(assignedFirst!.customer, "points.added")).toEqual([
      { points: 100, source: "tier_bonus", order_id: null, order_name: null, note: null },
      expect.objectContaining({ points: 150, source: "purchase" }),
      { points: 10, source: "tier_bonus", order_id: null, order_name: null, note: null },
    ]);
    expect(await payloads(orderFirst!.customer, "tier.updated")).toEqual([
      expect.objectContaining({ change: "spending_assign", current_tier: "Silver" }),
      expect.objectContaining({
        change: "manual_assign",
        reason: "manual",
        previous_tier: "Silver",
        current_tier: "Gold",
      }),
    ]);
  });

  it("the merchant's lower tier stands; the higher tier the order reached before owes its bonus", async () => {
    const { store, shopId } = await shopWithTiers({ entryReward: true });
    const [orderFirst, assignedFirst] = await bothWays(store, shopId, "1200.00", "Silver", "bea");

    // 1,200 + 100 (Gold, reached five days ago); then the merchant put the member in Silver
    expect(orderFirst!.state).toEqual({
      pointsBalance: 1_300,
      lifetimeEarned: 1_300,
      tierId: "silver",
      enteredAfterAssignment: 0,
      endsAfterAssignment: YEAR,
      rewardsHeld: ["gold"],
    });
    expect(assignedFirst!.state).toEqual(orderFirst!.state);
    // Assigned first, Silver was an entry and paid its bonus; on the facts it was a move down
    expect(await payloads(assignedFirst!.customer, "points.subtracted")).toEqual([
      {
        points: 10,
        source: "tier_bonus",
        order_id: null,
        order_name: null,
        note: "VIP tier entry bonus taken back: Silver was not entered",
      },
    ]);
    expect(await payloads(assignedFirst!.customer, "tier.updated")).toEqual([
      expect.objectContaining({
        change: "manual_assign",
        previous_tier: null,
        current_tier: "Silver",
      }),
    ]);
    expect(await payloads(orderFirst!.customer, "points.subtracted")).toEqual([]);
  });
});
