import type { OrderForEarning } from "./earn";

/**
 * What the order counts for tier spend: the goods after their discounts, gift cards excluded
 * (buying a gift card is not spending; redeeming it is). Minor units.
 */
export function goodsSpendMinor(order: OrderForEarning): number {
  return order.lines
    .filter((line) => !line.giftCard)
    .reduce((sum, line) => sum + line.unitPriceMinor * line.quantity - line.discountMinor, 0);
}

/**
 * Goods one refund gives back, in the same basis as goodsSpendMinor: each refunded line's share
 * of its line's goods (after its discounts; gift cards excluded), or the amount of a refund that
 * names no line (money returned for goods, e.g. a goodwill refund). Never more than the order's
 * goods; a refund of shipping or tax alone names no line and counts as an amount.
 */
export function refundedGoodsMinor(
  order: OrderForEarning,
  refund: { lines: readonly { lineItemId: string; quantity: number }[]; amountMinor: number },
): number {
  const goods = goodsSpendMinor(order);
  if (refund.lines.length === 0) return Math.min(goods, Math.max(0, refund.amountMinor));
  let given = 0;
  for (const refunded of refund.lines) {
    const line = order.lines.find((l) => l.lineItemId === refunded.lineItemId);
    if (!line || line.giftCard || line.quantity === 0) continue;
    const lineGoods = line.unitPriceMinor * line.quantity - line.discountMinor;
    given += Math.floor((lineGoods * Math.min(refunded.quantity, line.quantity)) / line.quantity);
  }
  return Math.min(goods, given);
}
