// Goals (issue #23): what a member's order facts owe each goal, whatever order they arrived in.
import type { Goal } from "../program/goals";
import { keptGoodsMinor } from "../tiers/spend-at";
import type { OrderSpend } from "../tiers/timeline-types";

const DAY_MS = 86_400_000;

/** What one goal is owed on the member's facts: its points once if reached, else nothing. */
export type GoalOwed = {
  readonly goalId: string;
  readonly points: number;
  /** The order that reached the goal (null when it is not reached). */
  readonly reachedBy: string | null;
};

/**
 * Whether the order counts towards goals with what is known at `now`: paid by then, not cancelled, and
 * not refunded in full (an order of no goods, e.g. a gift card alone, counts until refunded).
 */
export function orderCounts(order: OrderSpend, now: Date): boolean {
  if (order.paidAt.getTime() > now.getTime()) return false;
  if (order.cancelledAt && order.cancelledAt.getTime() <= now.getTime()) return false;
  if (keptGoodsMinor(order, now) > 0) return true;
  const goods = order.edited && order.edited.at <= now ? order.edited.goodsMinor : order.goodsMinor;
  return goods === 0 && !order.refunds.some((refund) => refund.at.getTime() <= now.getTime());
}

/** Counted orders in the order they were paid (ties by order id, as the tier replay takes them). */
export function countedOrders(orders: readonly OrderSpend[], now: Date): OrderSpend[] {
  return orders
    .filter((order) => orderCounts(order, now))
    .sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime() || a.orderId.localeCompare(b.orderId));
}

/** The order that reaches the goal on these counted orders (paid-time order), or null. */
function reachingOrder(goal: Goal, counted: readonly OrderSpend[], now: Date): string | null {
  if (goal.kind === "order_count") return counted[goal.count - 1]?.orderId ?? null;
  const window = goal.windowDays * DAY_MS;
  for (let end = 0; end < counted.length; end++) {
    const at = counted[end]!.paidAt.getTime();
    let spend = 0;
    // Orders paid in the windowDays up to this order's paid time, this one included (and those
    // before it at the same instant: the sort put them first).
    for (let i = end; i >= 0 && counted[i]!.paidAt.getTime() > at - window; i--) {
      spend += keptGoodsMinor(counted[i]!, now);
    }
    if (spend >= goal.minor) return counted[end]!.orderId;
  }
  return null;
}

/**
 * What each goal is owed on the member's order facts known at `now`: its points if reached
 * (once per member and goal, ever), else 0. A function of the set of facts alone: the orders are
 * taken by their paid time, not the order they are given in.
 */
export function goalsOwed(
  goals: readonly Goal[],
  orders: readonly OrderSpend[],
  now: Date,
): GoalOwed[] {
  const counted = countedOrders(orders, now);
  return goals.map((goal) => {
    const reachedBy = reachingOrder(goal, counted, now);
    return { goalId: goal.id, points: reachedBy === null ? 0 : goal.points, reachedBy };
  });
}

/** The ledger key of a goal's first bonus entry; later changes add `:<n>` (n entries before). */
export function goalBonusKey(memberId: string, goalId: string): string {
  return `goal:${memberId}:${goalId}`;
}
