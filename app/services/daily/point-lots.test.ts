import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveLots, type LedgerFact } from "./point-lots";

const DAY = 86_400_000;
let sequence = 0;
const entry = (kind: string, points: number, day: number, detail?: unknown): LedgerFact => ({
  id: `e${String(++sequence).padStart(4, "0")}`,
  kind,
  points,
  createdAt: new Date(Date.UTC(2027, 0, 1) + day * DAY),
  detail,
});
const remaining = (entries: LedgerFact[]) => deriveLots(entries).lots.map((l) => l.remaining);

describe("deriveLots", () => {
  it("spends the oldest lot first and expires exactly the lot an expiry entry names", () => {
    const first = entry("earn", 100, 0);
    const second = entry("bonus", 50, 5);
    const redeemed = entry("redemption", -120, 6);
    expect(remaining([first, second, redeemed])).toEqual([0, 30]);
    // GIVEN the newer lot expired by name WHEN derived again THEN the older lot is untouched
    const third = entry("earn", 40, 7);
    const expired = entry("expiry", -30, 40, { lotId: second.id });
    expect(remaining([first, second, third, expired])).toEqual([100, 20, 40]);
  });

  it("uses points that never expire (manual credits) only after the lots", () => {
    const manual = entry("manual", 100, 0);
    const lot = entry("earn", 50, 1);
    const spend = entry("redemption", -70, 2);
    const result = deriveLots([manual, lot, spend]);
    expect(result.lots.map((l) => l.remaining)).toEqual([0]);
    expect(result.unexpiring).toBe(80);
  });

  it("lets a debt from a negative balance be paid by the next lot", () => {
    const clawback = entry("clawback", -30, 0);
    const lot = entry("earn", 50, 1);
    expect(deriveLots([clawback, lot])).toMatchObject({ lots: [{ remaining: 20 }], debt: 0 });
  });

  it("counts a credit before a debit written at the same instant", () => {
    const manual = entry("manual", 100, 0);
    const earn = entry("earn", 60, 3);
    const refund = { ...entry("clawback", -20, 3), id: "a-sorts-first" };
    // the clawback in the earn's transaction takes from that lot, not from the manual credit
    expect(deriveLots([manual, refund, earn])).toMatchObject({
      lots: [{ remaining: 40 }],
      unexpiring: 100,
    });
  });

  it("keeps lots + unexpiring − debt equal to the balance, and lots within 0..points", () => {
    const facts = fc.array(
      fc.record({
        kind: fc.constantFrom("earn", "bonus", "manual", "redemption", "clawback", "expiry"),
        points: fc.integer({ min: 1, max: 500 }),
        day: fc.integer({ min: 0, max: 60 }),
        lotIndex: fc.nat(),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(facts, (drawn) => {
        const entries: LedgerFact[] = [];
        for (const fact of drawn) {
          const credit = ["earn", "bonus", "manual"].includes(fact.kind);
          const lots = entries.filter((e) => e.kind === "earn" || e.kind === "bonus");
          const named = lots[fact.lotIndex % Math.max(lots.length, 1)];
          const detail = fact.kind === "expiry" && named ? { lotId: named.id } : undefined;
          entries.push(entry(fact.kind, credit ? fact.points : -fact.points, fact.day, detail));
        }
        const result = deriveLots(entries);
        const balance = entries.reduce((sum, e) => sum + e.points, 0);
        const open = result.lots.reduce((sum, l) => sum + l.remaining, 0);
        expect(open + result.unexpiring - result.debt).toBe(balance);
        for (const lot of result.lots) {
          expect(lot.remaining).toBeGreaterThanOrEqual(0);
          expect(lot.remaining).toBeLessThanOrEqual(lot.points);
        }
        if (result.debt > 0) expect(open + result.unexpiring).toBe(0);
        else expect(open).toBeLessThanOrEqual(Math.max(balance, 0));
      }),
      { numRuns: 500 },
    );
  });
});
