/** Spending points from earn lots, oldest first. */
import type { LotAmount, PointLot } from "./types";

export type FifoResult = {
  /** Points taken from each lot, oldest lot first. */
  readonly taken: readonly LotAmount[];
  /** Points that could not be covered by lots (0 when the lots sufficed). */
  readonly shortfall: number;
  /** The lots after the debit, in the order given. */
  readonly lots: readonly PointLot[];
};

/** Throws on a lot whose numbers cannot be right; these come from our own ledger, so it is a bug. */
export function assertLot(lot: PointLot): void {
  const { points, remaining } = lot;
  if (!Number.isSafeInteger(points) || !Number.isSafeInteger(remaining)) {
    throw new RangeError(`lot ${lot.lotId}: points must be integers`);
  }
  if (remaining < 0 || remaining > points) {
    throw new RangeError(`lot ${lot.lotId}: remaining ${remaining} outside 0..${points}`);
  }
  if (Number.isNaN(lot.earnedAt.getTime())) throw new RangeError(`lot ${lot.lotId}: bad earnedAt`);
}

/** Checks every lot, and that lot ids are unique (amounts are reported per lot id). */
export function assertLots(lots: readonly PointLot[]): void {
  const ids = new Set<string>();
  for (const lot of lots) {
    assertLot(lot);
    if (ids.has(lot.lotId)) throw new RangeError(`duplicate lot id ${lot.lotId}`);
    ids.add(lot.lotId);
  }
}

/** Oldest earned first; the lot id breaks ties so the order never depends on the input order. */
export function oldestFirst(a: PointLot, b: PointLot): number {
  const byTime = a.earnedAt.getTime() - b.earnedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0;
}

/**
 * Takes `points` from the lots' remaining amounts, oldest lot first (FIFO), so the points closest
 * to expiring are spent first and a refund clawback can find exactly which lots paid. Never takes
 * more than a lot has left; whatever the lots cannot cover is reported as `shortfall` for the
 * caller to refuse (or allow, for an "allow negative" Flow action).
 */
export function consumeFifo(lots: readonly PointLot[], points: number): FifoResult {
  if (!Number.isSafeInteger(points) || points < 0) {
    throw new RangeError(`points to consume must be a non-negative integer, got ${points}`);
  }
  assertLots(lots);
  const takenById = new Map<string, number>();
  const taken: LotAmount[] = [];
  let left = points;
  for (const lot of [...lots].sort(oldestFirst)) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    if (take === 0) continue;
    taken.push({ lotId: lot.lotId, points: take });
    takenById.set(lot.lotId, take);
    left -= take;
  }
  return {
    taken,
    shortfall: left,
    lots: lots.map((lot) => {
      const take = takenById.get(lot.lotId);
      return take ? { ...lot, remaining: lot.remaining - take } : lot;
    }),
  };
}
