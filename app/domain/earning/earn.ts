import type { ProgramConfig } from "../program/config";
import { toHundredths } from "../program/decimal";
import { minorUnitsPerUnit } from "./currency";
import { assertCount, EarningInputError } from "./errors";
import { allocateProportionally, divideRounded } from "./rounding";
import type { EarnSnapshot, EarnSnapshotLine } from "./snapshot";

export type OrderLineForEarning = {
  lineItemId: string;
  productId: string | null;
  collectionIds: string[];
  quantity: number;
  unitPriceMinor: number;
  /** This line's allocated discounts, total for the line (not per unit). */
  discountMinor: number;
  giftCard: boolean;
};

export type OrderForEarning = {
  currency: string;
  lines: OrderLineForEarning[];
  /** After shipping discounts. */
  shippingMinor: number;
  taxMinor: number;
  /** Discounts not allocated to any line. */
  orderLevelDiscountMinor: number;
};

export type EarnResult = {
  points: number;
  basisMinor: number;
  lines: EarnSnapshotLine[];
  /** Shipping and/or tax, when the program includes them in the basis. */
  nonLineBasisMinor: number;
  snapshot: EarnSnapshot;
};

function assertOrder(order: OrderForEarning): void {
  const ids = new Set<string>();
  for (const line of order.lines) {
    if (line.lineItemId === "" || ids.has(line.lineItemId)) {
      throw new EarningInputError(`Line item id "${line.lineItemId}" is empty or repeated`);
    }
    ids.add(line.lineItemId);
    assertCount(line.quantity, "quantity");
    assertCount(line.unitPriceMinor, "unitPriceMinor");
    assertCount(line.discountMinor, "discountMinor");
    assertCount(line.quantity * line.unitPriceMinor, "line total");
  }
  assertCount(order.shippingMinor, "shippingMinor");
  assertCount(order.taxMinor, "taxMinor");
  assertCount(order.orderLevelDiscountMinor, "orderLevelDiscountMinor");
}

function multiplierHundredths(multiplier: number): bigint {
  if (!(multiplier >= 1 && multiplier <= 10)) {
    throw new EarningInputError(`Tier multiplier must be between 1 and 10, got ${multiplier}`);
  }
  try {
    return BigInt(toHundredths(multiplier));
  } catch {
    throw new EarningInputError(`Tier multiplier must have at most two decimals: ${multiplier}`);
  }
}

/**
 * Points for a paid order.
 *
 *   points = round(basis × pointsPerUnit ÷ minorUnitsPerUnit × multiplier)
 *
 * minorUnitsPerUnit is 100 for two-decimal currencies, so this is the familiar
 * round(basis × pointsPerUnit ÷ 100 × multiplier), and "1 point per 1.00" stays true for yen or
 * dinar shops. Rounding happens once for the whole order (per-line rounding would lose points on
 * every multi-line order) and uses integer hundredths for both rates, so it is exact.
 *
 * basis = Σ eligible line basis + shipping/tax when included, where a line's basis is
 * quantity × unit price, less its own discounts and its share of the order-level discount when the
 * program earns after discounts. The order-level discount is shared over all non-gift-card lines
 * by their net amount (Shopify never discounts gift cards), including excluded lines, whose share
 * is then simply lost, so excluding a product never makes the rest of the cart earn less.
 * Excluded products/collections and (unless enabled) gift cards have basis 0 but are still listed,
 * so a refund of them is recognised as clawing back nothing.
 */
export function earnForOrder(
  order: OrderForEarning,
  config: ProgramConfig,
  tierMultiplier: number,
): EarnResult {
  assertOrder(order);
  const rules = config.earning;
  const multiplier = multiplierHundredths(tierMultiplier);
  const excludedProducts = new Set(rules.excludedProductIds);
  const excludedCollections = new Set(rules.excludedCollectionIds);

  const nets = order.lines.map((line) => {
    const gross = line.quantity * line.unitPriceMinor;
    return rules.deductDiscounts ? Math.max(0, gross - line.discountMinor) : gross;
  });
  const discountable = order.lines.map((line, index) => (line.giftCard ? 0 : (nets[index] ?? 0)));
  const discountableTotal = discountable.reduce((sum, net) => sum + net, 0);
  const orderDiscount = rules.deductDiscounts
    ? Math.min(order.orderLevelDiscountMinor, discountableTotal)
    : 0;
  const shares = allocateProportionally(orderDiscount, discountable);

  const lines = order.lines.map((line, index): EarnSnapshotLine => {
    const eligible =
      (!line.giftCard || rules.includeGiftCards) &&
      !(line.productId !== null && excludedProducts.has(line.productId)) &&
      !line.collectionIds.some((id) => excludedCollections.has(id));
    const basisMinor = eligible ? (nets[index] ?? 0) - (shares[index] ?? 0) : 0;
    return { lineItemId: line.lineItemId, quantity: line.quantity, basisMinor };
  });

  const nonLineBasisMinor =
    (rules.includeShipping ? order.shippingMinor : 0) + (rules.includeTax ? order.taxMinor : 0);
  const basisMinor = lines.reduce((sum, line) => sum + line.basisMinor, nonLineBasisMinor);
  assertCount(basisMinor, "order basis");

  const perUnit = minorUnitsPerUnit(order.currency);
  const numerator = BigInt(basisMinor) * BigInt(toHundredths(rules.pointsPerUnit)) * multiplier;
  const points = Number(divideRounded(numerator, BigInt(perUnit) * 10_000n, rules.rounding));
  assertCount(points, "points");

  const snapshot: EarnSnapshot = {
    configVersion: config.version,
    currency: order.currency.toUpperCase(),
    minorUnitsPerUnit: perUnit,
    pointsPerUnit: rules.pointsPerUnit,
    rounding: rules.rounding,
    multiplier: tierMultiplier,
    basisMinor,
    nonLineBasisMinor,
    lines: lines.map((line) => ({ ...line })),
    points,
  };
  return { points, basisMinor, lines, nonLineBasisMinor, snapshot };
}
