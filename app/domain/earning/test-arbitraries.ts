// fast-check generators shared by the earning tests (not part of the public API).
import fc from "fast-check";
import type { ProgramConfig } from "../program/config";
import { ProgramConfigSchema } from "../program/config";
import type { RefundForClawback } from "./clawback";
import type { OrderForEarning, OrderLineForEarning } from "./earn";
import type { EarnSnapshot } from "./snapshot";

export const PRODUCTS = ["p1", "p2", "p3", "p4"];
export const COLLECTIONS = ["c1", "c2", "c3"];

export const lineArb = (lineItemId: string): fc.Arbitrary<OrderLineForEarning> =>
  fc
    .record({
      productId: fc.option(fc.constantFrom(...PRODUCTS), { nil: null }),
      collectionIds: fc.subarray(COLLECTIONS),
      quantity: fc.integer({ min: 1, max: 6 }),
      unitPriceMinor: fc.integer({ min: 0, max: 50_000 }),
      // Up to 120 % so a discount larger than the line is covered too.
      discountPercent: fc.integer({ min: 0, max: 120 }),
      giftCard: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    })
    .map(({ discountPercent, ...line }) => ({
      ...line,
      lineItemId,
      discountMinor: Math.floor((line.quantity * line.unitPriceMinor * discountPercent) / 100),
    }));

export const orderArb: fc.Arbitrary<OrderForEarning> = fc
  .integer({ min: 0, max: 6 })
  .chain((count) =>
    fc.record({
      currency: fc.constantFrom("USD", "EUR", "JPY", "KWD"),
      lines: fc.tuple(...Array.from({ length: count }, (_, i) => lineArb(`line-${i + 1}`))),
      shippingMinor: fc.integer({ min: 0, max: 5_000 }),
      taxMinor: fc.integer({ min: 0, max: 5_000 }),
      orderLevelDiscountMinor: fc.integer({ min: 0, max: 20_000 }),
    }),
  )
  .map((order) => ({ ...order, lines: [...order.lines] }));

export const multiplierArb = fc.integer({ min: 100, max: 1000 }).map((n) => n / 100);

export const configArb: fc.Arbitrary<ProgramConfig> = fc
  .record({
    pointsPerUnit: fc.integer({ min: 0, max: 100_000 }).map((n) => n / 100),
    rounding: fc.constantFrom("down" as const, "nearest" as const, "up" as const),
    includeShipping: fc.boolean(),
    includeTax: fc.boolean(),
    deductDiscounts: fc.boolean(),
    includeGiftCards: fc.boolean(),
    excludedProductIds: fc.subarray(PRODUCTS),
    excludedCollectionIds: fc.subarray(COLLECTIONS),
  })
  .map((earning) => ProgramConfigSchema.parse({ earning }));

/** Ids whose numbers have different digit counts, so string order ≠ canonical order. */
export const refundId = (k: number) => `gid://shopify/Refund/${(k + 1) * 47}`;

/**
 * Line refunds that together return every unit of every line: each unit is given to one of up to
 * `maxRefunds` refunds; the refunds are returned in a random arrival order.
 */
export function fullLineRefundsArb(
  snapshot: EarnSnapshot,
  maxRefunds = 5,
): fc.Arbitrary<RefundForClawback[]> {
  const units = snapshot.lines.flatMap((line) =>
    Array.from({ length: line.quantity }, () => line.lineItemId),
  );
  return fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: maxRefunds - 1 }), {
        minLength: units.length,
        maxLength: units.length,
      }),
      fc.nat(),
    )
    .map(([owners, salt]) => {
      const refunds = new Map<number, Map<string, number>>();
      owners.forEach((owner, unit) => {
        const lines = refunds.get(owner) ?? new Map<string, number>();
        const id = units[unit] ?? "";
        lines.set(id, (lines.get(id) ?? 0) + 1);
        refunds.set(owner, lines);
      });
      return [...refunds.entries()].map(([owner, lines]) => ({
        refundId: refundId(owner),
        lines: [...lines.entries()].map(([lineItemId, quantity]) => ({ lineItemId, quantity })),
        amountMinor: salt % 1000, // ignored: line refunds
      }));
    })
    .chain((refunds) =>
      fc.shuffledSubarray(refunds, { minLength: refunds.length, maxLength: refunds.length }),
    );
}

/** Amount-only refunds whose amounts add up to `total`, in a random arrival order. */
export function fullAmountRefundsArb(total: number): fc.Arbitrary<RefundForClawback[]> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, total - 1) }), { maxLength: 5 })
    .map((cuts) => {
      const points = [0, ...cuts.filter((c) => c < total).sort((a, b) => a - b), total];
      return points.slice(1).map((end, k) => ({
        refundId: refundId(k),
        lines: [],
        amountMinor: end - (points[k] ?? 0),
      }));
    })
    .chain((refunds) =>
      fc.shuffledSubarray(refunds, { minLength: refunds.length, maxLength: refunds.length }),
    );
}

/** Any refunds at all: partial, over-refunding, unknown lines, amount-only, repeated ids. */
export function anyRefundsArb(snapshot: EarnSnapshot): fc.Arbitrary<RefundForClawback[]> {
  const ids = [...snapshot.lines.map((line) => line.lineItemId), "unknown-line"];
  return fc.array(
    fc.record({
      refundId: fc.integer({ min: 0, max: 7 }).map(refundId),
      lines: fc.array(
        fc.record({
          lineItemId: fc.constantFrom(...ids),
          quantity: fc.integer({ min: 0, max: 8 }),
        }),
        { maxLength: 3 },
      ),
      amountMinor: fc.integer({ min: 0, max: snapshot.basisMinor * 2 + 10 }),
    }),
    { maxLength: 8 },
  );
}

/** Applies refunds one by one in the given order, as the service would, returning each clawback. */
export function applyInArrivalOrder(
  snapshot: EarnSnapshot,
  refunds: readonly RefundForClawback[],
  clawFn: (
    snapshot: EarnSnapshot,
    refund: RefundForClawback,
    already: number,
    prior: readonly RefundForClawback[],
  ) => number,
): number[] {
  const applied: RefundForClawback[] = [];
  let clawed = 0;
  return refunds.map((refund) => {
    const points = clawFn(snapshot, refund, clawed, applied);
    if (!applied.some((prior) => prior.refundId === refund.refundId)) applied.push(refund);
    clawed += points;
    return points;
  });
}

/** A plain 0.00 line; tests override what matters to them. */
export const testLine = (overrides: Partial<OrderLineForEarning> = {}): OrderLineForEarning => ({
  lineItemId: "line-1",
  productId: "p1",
  collectionIds: [],
  quantity: 1,
  unitPriceMinor: 0,
  discountMinor: 0,
  giftCard: false,
  ...overrides,
});

export const testOrder = (
  lines: OrderLineForEarning[],
  extra: Partial<OrderForEarning> = {},
): OrderForEarning => ({
  currency: "USD",
  lines,
  shippingMinor: 0,
  taxMinor: 0,
  orderLevelDiscountMinor: 0,
  ...extra,
});
