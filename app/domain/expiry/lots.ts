/**
 * A member's expirable point lots, derived from the immutable ledger (no mutable "remaining"
 * column): earn and bonus credits are lots; the member's debits consume them oldest first.
 *
 * Pure and replayed in time order, so the same entries always give the same lots:
 * - an expiry debit names its lot (`detail.lotId`) and takes from that lot only;
 * - any other debit takes from the lots that existed at that moment, oldest first (FIFO, so the
 *   points closest to expiring are used first), then from credits that are not lots (manual,
 *   …: they never expire), and what neither covers (a balance allowed to go negative) is a
 *   debt the next credits pay off before they count as available;
 * - a lot moved by a customer merge (`merge` credit with `detail.lotEarnedAt`) is a lot earned
 *   when the original was, so it expires when it would have; other merge credits never expire.
 * With no debt, the lots' remaining points never exceed the balance, so expiring them cannot take
 * a balance below zero.
 */
import type { PointLot } from "./types";

export interface LedgerFact {
  readonly id: string;
  readonly kind: string;
  readonly points: number;
  readonly createdAt: Date;
  readonly detail?: unknown;
}

/** Entry kinds whose credits are lots that can expire. */
export const LOT_KINDS: ReadonlySet<string> = new Set(["earn", "bonus"]);

export interface DerivedLots {
  /** Every lot, oldest first, with what is left of it. */
  readonly lots: readonly PointLot[];
  /** Points credited outside lots and not yet spent (they never expire). */
  readonly unexpiring: number;
  /** Points owed from a negative balance, paid off by the next credits. */
  readonly debt: number;
}

interface OpenLot {
  readonly lotId: string;
  readonly earnedAt: Date;
  readonly points: number;
  remaining: number;
}

/** Time order; at the same instant credits come first (a debit in one transaction with its credit). */
function chronological(a: LedgerFact, b: LedgerFact): number {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  if (byTime !== 0) return byTime;
  const bySign = Math.sign(b.points) - Math.sign(a.points);
  if (bySign !== 0) return bySign;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** When a merged-in lot was earned on the member it came from, or null for any other credit. */
function mergedLotEarnedAt(entry: LedgerFact): Date | null {
  if (entry.kind !== "merge" || !entry.detail || typeof entry.detail !== "object") return null;
  const { lotEarnedAt } = entry.detail as { lotEarnedAt?: unknown };
  if (typeof lotEarnedAt !== "string") return null;
  const at = new Date(lotEarnedAt);
  return Number.isNaN(at.getTime()) ? null : at;
}

function lotIdOf(detail: unknown): string | null {
  if (detail && typeof detail === "object" && "lotId" in detail) {
    const { lotId } = detail as { lotId: unknown };
    return typeof lotId === "string" ? lotId : null;
  }
  return null;
}

export function deriveLots(entries: readonly LedgerFact[]): DerivedLots {
  const lots: OpenLot[] = [];
  const byId = new Map<string, OpenLot>();
  let unexpiring = 0;
  let debt = 0;

  const payDebt = (available: number) => {
    const paid = Math.min(debt, available);
    debt -= paid;
    return available - paid;
  };
  const takeFifo = (points: number) => {
    let left = points;
    for (const lot of lots) {
      if (left === 0) break;
      const take = Math.min(lot.remaining, left);
      lot.remaining -= take;
      left -= take;
    }
    return left;
  };

  for (const entry of [...entries].sort(chronological)) {
    if (entry.points > 0) {
      const mergedAt = mergedLotEarnedAt(entry);
      if (LOT_KINDS.has(entry.kind) || mergedAt) {
        const lot = {
          lotId: entry.id,
          earnedAt: mergedAt ?? entry.createdAt,
          points: entry.points,
          remaining: payDebt(entry.points),
        };
        // Oldest earned first: a merged-in lot takes its place among the member's own.
        const at = lots.findIndex((open) => open.earnedAt.getTime() > lot.earnedAt.getTime());
        lots.splice(at === -1 ? lots.length : at, 0, lot);
        byId.set(lot.lotId, lot);
      } else {
        unexpiring += payDebt(entry.points);
      }
      continue;
    }
    let left = -entry.points;
    const named = entry.kind === "expiry" ? byId.get(lotIdOf(entry.detail) ?? "") : undefined;
    if (named) {
      const take = Math.min(named.remaining, left);
      named.remaining -= take;
      left -= take;
    }
    left = takeFifo(left);
    const fromUnexpiring = Math.min(unexpiring, left);
    unexpiring -= fromUnexpiring;
    debt += left - fromUnexpiring;
  }
  return { lots: lots.map((lot) => ({ ...lot })), unexpiring, debt };
}
