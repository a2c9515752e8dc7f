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
