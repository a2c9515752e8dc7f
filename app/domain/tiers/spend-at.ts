// Tier spend at an instant (ADR 0054): the goods of the orders paid in the 365 days up to it,
// each less what it gave back by the time it is known, never below zero.
import { SPEND_WINDOW_DAYS } from "./measure";
import type { OrderSpend } from "./timeline-types";

const WINDOW_MS = SPEND_WINDOW_DAYS * 86_400_000;

/** Goods the order still counts for, with what was known at `knownAt` (an edit from its time). */
export function keptGoodsMinor(order: OrderSpend, knownAt: Date): number {
  const known = knownAt.getTime();
  if (order.cancelledAt && order.cancelledAt.getTime() <= known) return 0;
  const given = order.refunds
    .filter((refund) => refund.at.getTime() <= known)
    .reduce((sum, refund) => sum + refund.goodsMinor, 0);
  const goods =
    order.edited && order.edited.at.getTime() <= known ? order.edited.goodsMinor : order.goodsMinor;
  return Math.max(0, goods - given);
}

/**
 * Spend in the 365 days up to `at` (orders paid in the window), with what was known at `knownAt`.
 * `throughOrder` measures at an order's payment: of orders paid at that same instant, only those
 * up to it in the replay's order count (the one after it was not paid yet when it was).
 */
export function spendAt(
  orders: readonly OrderSpend[],
  at: Date,
  knownAt: Date = at,
  throughOrder?: string,
): number {
  const end = at.getTime();
  const counts = (order: OrderSpend) =>
    order.paidAt.getTime() < end ||
    (order.paidAt.getTime() === end &&
      (throughOrder === undefined || order.orderId.localeCompare(throughOrder) <= 0));
  return orders
    .filter((order) => counts(order) && order.paidAt.getTime() > end - WINDOW_MS)
    .reduce((sum, order) => sum + keptGoodsMinor(order, knownAt), 0);
}
