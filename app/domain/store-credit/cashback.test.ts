import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EarnSnapshot } from "../earning/snapshot";
import { StoreCreditConfigSchema } from "../program/config";
import { cashbackForBasis, outcomeFromBalance, planCashback, type CashbackFacts } from "./cashback";

const on = StoreCreditConfigSchema.parse({ enabled: true, cashbackBasisPoints: 500 });

const snapshot: EarnSnapshot = {
  configVersion: 1,
  currency: "USD",
  minorUnitsPerUnit: 100,
  pointsPerUnit: 1,
  rounding: "down",
  multiplier: 1,
  basisMinor: 10_000,
  nonLineBasisMinor: 0,
  lines: [
    { lineItemId: "a", quantity: 3, basisMinor: 6_000 },
    { lineItemId: "b", quantity: 1, basisMinor: 4_000 },
  ],
  points: 100,
};

const facts = (over: Partial<CashbackFacts> = {}): CashbackFacts => ({
  orderId: "1",
  offer: { snapshot, amountMinor: 500 },
  existing: [],
  refunds: [],
  cancelled: false,
  ...over,
});

describe("cashbackForBasis", () => {
  it("is the rate of the basis, rounded down, and 0 when off or below the minimum", () => {
    expect(cashbackForBasis(10_000, on)).toBe(500);
    expect(cashbackForBasis(1_999, on)).toBe(99);
    expect(cashbackForBasis(10_000, { ...on, enabled: false })).toBe(0);
    expect(cashbackForBasis(10_000, { ...on, minOrderMinor: 10_001 })).toBe(0);
    expect(() => cashbackForBasis(-1, on)).toThrow(RangeError);
  });
});

describe("planCashback", () => {
  it("plans the credit once; a second look with the credit written plans nothing", () => {
    const first = planCashback(facts(), null);
    expect(first).toEqual([
      {
        key: "cashback:1:credit",
        kind: "credit",
        source: "cashback",
        amountMinor: 500,
        refundId: null,
      },
    ]);
    const again = planCashback(
      facts({ existing: [{ key: "cashback:1:credit", kind: "credit", amountMinor: 500 }] }),
      snapshot,
    );
    expect(again).toEqual([]);
  });

  it("takes back the refunded share, and all of it when everything is refunded", () => {
    const existing = [{ key: "cashback:1:credit", kind: "credit" as const, amountMinor: 500 }];
    const [partial] = planCashback(
      facts({
        existing,
        refunds: [{ refundId: "7", lines: [{ lineItemId: "b", quantity: 1 }], amountMinor: 0 }],
      }),
      snapshot,
    );
    expect(partial).toMatchObject({
      kind: "debit",
      source: "order_refund",
      amountMinor: 200,
      refundId: "7",
    });
    const all = planCashback(
      facts({
        existing: [...existing, { key: "cashback:1:refund:7", kind: "debit", amountMinor: 200 }],
        refunds: [
          { refundId: "7", lines: [{ lineItemId: "b", quantity: 1 }], amountMinor: 0 },
          { refundId: "8", lines: [{ lineItemId: "a", quantity: 3 }], amountMinor: 0 },
        ],
      }),
      snapshot,
    );
    expect(all).toEqual([
      {
        key: "cashback:1:refund:8",
        kind: "debit",
        source: "order_refund",
        amountMinor: 300,
        refundId: "8",
      },
    ]);
  });

  it("a cancelled order gets no credit, and a cancel after the credit takes back what is left", () => {
    expect(planCashback(facts({ cancelled: true }), null)).toEqual([]);
    const existing = [
      { key: "cashback:1:credit", kind: "credit" as const, amountMinor: 500 },
      { key: "cashback:1:refund:7", kind: "debit" as const, amountMinor: 200 },
    ];
    expect(
      planCashback(
        facts({
          existing,
          cancelled: true,
          refunds: [{ refundId: "7", lines: [{ lineItemId: "b", quantity: 1 }], amountMinor: 0 }],
        }),
        snapshot,
      ),
    ).toEqual([
      {
        key: "cashback:1:cancel",
        kind: "debit",
        source: "order_cancelled",
        amountMinor: 300,
        refundId: null,
      },
    ]);
  });

  it("property: any arrival order of refunds takes back the same total, never more than the credit", () => {
    const refund = fc.record({
      refundId: fc.integer({ min: 1, max: 50 }).map(String),
      lines: fc.array(
        fc.record({
          lineItemId: fc.constantFrom("a", "b"),
          quantity: fc.integer({ min: 0, max: 3 }),
        }),
        { maxLength: 2 },
      ),
      amountMinor: fc.integer({ min: 0, max: 12_000 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(refund, { selector: (r) => r.refundId, maxLength: 5 }),
        fc.boolean(),
        (refunds, reverse) => {
          const arrival = reverse ? [...refunds].reverse() : refunds;
          const existing: { key: string; kind: "credit" | "debit"; amountMinor: number }[] = [];
          let total = 0;
          for (let i = 0; i <= arrival.length; i++) {
            for (const t of planCashback(
              facts({ existing, refunds: arrival.slice(0, i) }),
              existing.length ? snapshot : null,
            )) {
              existing.push(t);
              if (t.kind === "debit") total += t.amountMinor;
            }
          }
          expect(total).toBeLessThanOrEqual(500);
          const all = planCashback(facts({ existing: [], refunds }), null);
          const oneGo = [...all];
          const credited = [
            { key: "cashback:1:credit", kind: "credit" as const, amountMinor: 500 },
          ];
          const debits = planCashback(facts({ existing: credited, refunds }), snapshot);
          expect(oneGo[0]?.amountMinor).toBe(500);
          expect(total).toBe(debits.reduce((s, d) => s + d.amountMinor, 0));
        },
      ),
    );
  });
});

describe("outcomeFromBalance", () => {
  it("tells applied, not applied and unclear apart", () => {
    expect(outcomeFromBalance("credit", 500, 1000, 1500)).toBe("applied");
    expect(outcomeFromBalance("credit", 500, 1000, 1000)).toBe("not_applied");
    expect(outcomeFromBalance("debit", 500, 1000, 500)).toBe("applied");
    expect(outcomeFromBalance("debit", 500, 1000, 700)).toBe("unclear");
  });
});
