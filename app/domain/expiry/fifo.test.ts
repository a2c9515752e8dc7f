import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consumeFifo, oldestFirst } from "./fifo";
import type { PointLot } from "./types";

const lot = (lotId: string, earnedAt: string, points: number, remaining = points): PointLot => ({
  lotId,
  earnedAt: new Date(earnedAt),
  points,
  remaining,
});

describe("consumeFifo", () => {
  it("takes from the oldest lot first, whatever the input order", () => {
    const lots = [
      lot("c", "2026-03-01T00:00:00Z", 100),
      lot("a", "2026-01-01T00:00:00Z", 50, 20),
      lot("b", "2026-02-01T00:00:00Z", 30),
    ];
    const result = consumeFifo(lots, 60);
    expect(result.taken).toEqual([
      { lotId: "a", points: 20 },
      { lotId: "b", points: 30 },
      { lotId: "c", points: 10 },
    ]);
    expect(result.shortfall).toBe(0);
    // lots come back in the order given, with what is left
    expect(result.lots.map((l) => [l.lotId, l.remaining])).toEqual([
      ["c", 90],
      ["a", 0],
      ["b", 0],
    ]);
  });

  it("breaks ties on the earn instant by lot id and skips spent lots", () => {
    const lots = [
      lot("y", "2026-01-01T00:00:00Z", 10),
      lot("x", "2026-01-01T00:00:00Z", 10),
      lot("w", "2025-01-01T00:00:00Z", 10, 0),
    ];
    expect(consumeFifo(lots, 5).taken).toEqual([{ lotId: "x", points: 5 }]);
  });

  it("never takes more than the lots hold and reports the shortfall", () => {
    const result = consumeFifo([lot("a", "2026-01-01T00:00:00Z", 10, 7)], 12);
    expect(result.taken).toEqual([{ lotId: "a", points: 7 }]);
    expect(result.shortfall).toBe(5);
  });

  it("refuses nonsense amounts and lots", () => {
    expect(() => consumeFifo([], -1)).toThrow(RangeError);
    expect(() => consumeFifo([], 1.5)).toThrow(RangeError);
    expect(() => consumeFifo([lot("a", "2026-01-01T00:00:00Z", 5, 6)], 1)).toThrow(/remaining/);
    const dup = lot("a", "2026-01-01T00:00:00Z", 5);
    expect(() => consumeFifo([dup, dup], 1)).toThrow(/duplicate/);
  });

  it("property: takes exactly min(points, available), never over a lot, oldest first", () => {
    const lotsArb = fc.uniqueArray(
      fc
        .record({
          id: fc.string({ minLength: 1, maxLength: 3 }),
          day: fc.integer({ min: 0, max: 60 }),
          points: fc.integer({ min: 0, max: 200 }),
          spentPercent: fc.integer({ min: 0, max: 100 }),
        })
        .map((l): PointLot => ({
          lotId: l.id,
          earnedAt: new Date(Date.UTC(2026, 0, 1 + l.day)),
          points: l.points,
          remaining: l.points - Math.floor((l.points * l.spentPercent) / 100),
        })),
      { selector: (l) => l.lotId, maxLength: 8 },
    );
    fc.assert(
      fc.property(lotsArb, fc.integer({ min: 0, max: 1_500 }), (lots, points) => {
        const available = lots.reduce((sum, l) => sum + l.remaining, 0);
        const result = consumeFifo(lots, points);
        const takenTotal = result.taken.reduce((sum, t) => sum + t.points, 0);
        expect(takenTotal).toBe(Math.min(points, available));
        expect(result.shortfall).toBe(points - takenTotal);
        const before = new Map(lots.map((l) => [l.lotId, l]));
        for (const take of result.taken) {
          expect(take.points).toBeGreaterThan(0);
          expect(take.points).toBeLessThanOrEqual(before.get(take.lotId)!.remaining);
        }
        for (const [index, after] of result.lots.entries()) {
          const original = lots[index]!;
          expect(after.lotId).toBe(original.lotId);
          expect(after.remaining).toBeGreaterThanOrEqual(0);
        }
        // oldest first: no lot with points left over is older than a lot that was drawn on
        const leftOver = result.lots.filter((l) => l.remaining > 0);
        for (const take of result.taken) {
          const taken = before.get(take.lotId)!;
          for (const rest of leftOver) {
            if (rest.lotId !== take.lotId) expect(oldestFirst(rest, taken)).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
