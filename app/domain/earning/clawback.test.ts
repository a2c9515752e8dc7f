import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProgramConfigSchema } from "../program/config";
import type { RefundForClawback } from "./clawback";
import {
  adjustmentForEdit,
  clawbackForRefund,
  compareRefundIds,
  cumulativeClawback,
  planClawbacks,
  reversalForCancellation,
} from "./clawback";
import { earnForOrder } from "./earn";
import type { EarnSnapshot } from "./snapshot";
import {
  anyRefundsArb,
  applyInArrivalOrder,
  configArb,
  fullAmountRefundsArb,
  fullLineRefundsArb,
  multiplierArb,
  orderArb,
  testLine,
  testOrder,
} from "./test-arbitraries";

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

const earnedArb = fc
  .tuple(orderArb, configArb, multiplierArb)
  .map(([order, config, multiplier]) => earnForOrder(order, config, multiplier).snapshot);

// Three equal lines worth 9 points: thirds of a basis do not always divide evenly.
const thirds: EarnSnapshot = earnForOrder(
  testOrder(["a", "b", "c"].map((id) => testLine({ lineItemId: id, unitPriceMinor: 333 }))),
  ProgramConfigSchema.parse({}),
  1,
).snapshot;
const lineRefund = (refundId: string, lineItemId: string, quantity = 1): RefundForClawback => ({
  refundId,
  lines: [{ lineItemId, quantity }],
  amountMinor: 0,
});

describe("clawback: examples", () => {
  it("splits 9 points over three one-third refunds without losing or inventing a point", () => {
    expect(thirds.points).toBe(9);
    const plan = planClawbacks(thirds, [
      lineRefund("r1", "a"),
      lineRefund("r2", "b"),
      lineRefund("r3", "c"),
    ]);
    expect(plan.map((p) => p.points)).toEqual([3, 3, 3]);
  });

  it("rounds each cumulative target half up, so 10 points over thirds go 3, 4, 3", () => {
    const ten = { ...thirds, points: 10 };
    const plan = planClawbacks(
      ten,
      ["a", "b", "c"].map((id, k) => lineRefund(`r${k}`, id)),
    );
    expect(plan.map((p) => p.points)).toEqual([3, 4, 3]);
  });

  it("claws back amount-only refunds by amount ÷ basis", () => {
    // GIVEN 9 points on a 9.99 basis WHEN 3.33 is refunded without lines THEN 3 points return
    const refund = { refundId: "r1", lines: [], amountMinor: 333 };
    expect(clawbackForRefund(thirds, refund, 0, [])).toBe(3);
  });

  it("ignores a redelivered refund", () => {
    const refund = lineRefund("r1", "a");
    expect(clawbackForRefund(thirds, refund, 3, [refund])).toBe(0);
  });

  it("takes nothing for refunds of lines that earned nothing", () => {
    const result = earnForOrder(
      testOrder([
        testLine({ lineItemId: "shirt", unitPriceMinor: 2000 }),
        testLine({ lineItemId: "card", productId: null, giftCard: true, unitPriceMinor: 5000 }),
      ]),
      ProgramConfigSchema.parse({}),
      1,
    );
    expect(clawbackForRefund(result.snapshot, lineRefund("r1", "card"), 0, [])).toBe(0);
    expect(clawbackForRefund(result.snapshot, lineRefund("r2", "shirt"), 0, [])).toBe(20);
  });

  it("sorts refund ids by their number, not as text", () => {
    const ids = [
      "gid://shopify/Refund/100",
      "gid://shopify/Refund/99",
      "gid://shopify/Refund/1000",
    ];
    expect([...ids].sort(compareRefundIds)).toEqual([
      "gid://shopify/Refund/99",
      "gid://shopify/Refund/100",
      "gid://shopify/Refund/1000",
    ]);
  });

  it("adjusts an edit by the difference, never leaving the order holding less than 0", () => {
    const next = (points: number) => ({ points }) as Parameters<typeof adjustmentForEdit>[1];
    const earned = { ...thirds, points: 100 };
    expect(adjustmentForEdit(earned, next(120), 30)).toBe(20);
    expect(adjustmentForEdit(earned, next(50), 30)).toBe(-50);
    // 80 already clawed back: the order can give back only the 20 it still holds.
    expect(adjustmentForEdit(earned, next(50), 80)).toBe(-20);
    // A second edit after a capped one starts from what the order really holds (0).
    expect(adjustmentForEdit({ ...earned, points: 50 }, next(90), 80)).toBe(10);
  });
});

describe("clawback: properties", () => {
  it("claws back exactly what was earned over any partial line refunds that return everything", () => {
    // An order without lines (shipping only) cannot be refunded by lines at all.
    const scenario = earnedArb
      .filter((s) => s.lines.length > 0)
      .chain((s) => fc.tuple(fc.constant(s), fullLineRefundsArb(s)));
    fc.assert(
      fc.property(scenario, ([snapshot, refunds]) => {
        const claws = applyInArrivalOrder(snapshot, refunds, clawbackForRefund);
        expect(claws.every((claw) => claw >= 0)).toBe(true);
        expect(sum(claws)).toBe(snapshot.points);
      }),
    );
  });

  it("claws back exactly what was earned over amount-only refunds that return the basis", () => {
    const scenario = earnedArb.chain((s) =>
      fc.tuple(fc.constant(s), fullAmountRefundsArb(s.basisMinor)),
    );
    fc.assert(
      fc.property(scenario, ([snapshot, refunds]) => {
        expect(sum(applyInArrivalOrder(snapshot, refunds, clawbackForRefund))).toBe(
          snapshot.points,
        );
      }),
    );
  });

  it("never claws back more than was earned, whatever the refunds", () => {
    const scenario = earnedArb.chain((s) => fc.tuple(fc.constant(s), anyRefundsArb(s)));
    fc.assert(
      fc.property(scenario, ([snapshot, refunds]) => {
        let running = 0;
        for (const claw of applyInArrivalOrder(snapshot, refunds, clawbackForRefund)) {
          expect(claw).toBeGreaterThanOrEqual(0);
          running += claw;
          expect(running).toBeLessThanOrEqual(snapshot.points);
        }
        expect(running).toBe(cumulativeClawback(snapshot, refunds));
      }),
    );
  });

  it("totals the same for a set of refunds in any arrival order", () => {
    const scenario = earnedArb.chain((s) =>
      anyRefundsArb(s).chain((refunds) =>
        fc.tuple(
          fc.constant(s),
          fc.constant(refunds),
          fc.shuffledSubarray(refunds, { minLength: refunds.length, maxLength: refunds.length }),
        ),
      ),
    );
    fc.assert(
      fc.property(scenario, ([snapshot, refunds, reordered]) => {
        // Keep one body per refund id, as Shopify would: a redelivery repeats the same refund.
        const byId = new Map(refunds.map((r) => [r.refundId, r]));
        const canonical = (list: RefundForClawback[]) => list.map((r) => byId.get(r.refundId) ?? r);
        const a = applyInArrivalOrder(snapshot, canonical(refunds), clawbackForRefund);
        const b = applyInArrivalOrder(snapshot, canonical(reordered), clawbackForRefund);
        expect(sum(a)).toBe(sum(b));
        // WHEN applied in canonical order THEN each refund gets what planClawbacks says
        expect(planClawbacks(snapshot, canonical(reordered))).toEqual(
          planClawbacks(snapshot, canonical(refunds)),
        );
      }),
    );
  });

  it("returns exactly the remainder on cancellation after partial refunds", () => {
    const scenario = earnedArb.chain((s) =>
      fullLineRefundsArb(s).chain((refunds) => fc.tuple(fc.constant(s), fc.subarray(refunds))),
    );
    fc.assert(
      fc.property(scenario, ([snapshot, partial]) => {
        const clawed = sum(applyInArrivalOrder(snapshot, partial, clawbackForRefund));
        const reversal = reversalForCancellation(snapshot, clawed);
        expect(reversal).toBeGreaterThanOrEqual(0);
        expect(clawed + reversal).toBe(snapshot.points);
        // A redelivered cancellation, or a refund arriving after it, takes nothing more.
        expect(reversalForCancellation(snapshot, clawed + reversal)).toBe(0);
        const late = { refundId: "late", lines: snapshot.lines, amountMinor: 0 };
        expect(clawbackForRefund(snapshot, late, clawed + reversal, partial)).toBe(0);
      }),
    );
  });

  it("keeps the order's net points between 0 and its latest earn across refunds, edits and cancel", () => {
    const scenario = fc
      .tuple(orderArb, orderArb, configArb, multiplierArb)
      .chain(([first, edited, config, m]) => {
        const before = earnForOrder(first, config, m);
        const after = earnForOrder(edited, config, m);
        return fc.tuple(
          fc.constant(before),
          fc.constant(after),
          anyRefundsArb(before.snapshot),
          anyRefundsArb(after.snapshot),
        );
      });
    fc.assert(
      fc.property(scenario, ([before, after, refundsBefore, refundsAfter]) => {
        const renamed = refundsAfter.map((r) => ({ ...r, refundId: `late-${r.refundId}` }));
        let clawed = 0;
        const applied: RefundForClawback[] = [];
        const apply = (snapshot: EarnSnapshot, refund: RefundForClawback) => {
          clawed += clawbackForRefund(snapshot, refund, clawed, applied);
          if (!applied.some((r) => r.refundId === refund.refundId)) applied.push(refund);
        };
        refundsBefore.forEach((refund) => apply(before.snapshot, refund));
        const adjustment = adjustmentForEdit(before.snapshot, after, clawed);
        const credited = before.points + adjustment;
        expect(credited - clawed).toBeGreaterThanOrEqual(0);
        expect(credited - clawed).toBeLessThanOrEqual(after.points);
        renamed.forEach((refund) => apply(after.snapshot, refund));
        expect(credited - clawed).toBeGreaterThanOrEqual(0);
        // WHEN the order is cancelled THEN it holds nothing, exactly
        expect(credited - clawed - reversalForCancellation(after.snapshot, clawed)).toBe(0);
      }),
    );
  });
});
