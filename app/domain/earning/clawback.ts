import type { EarnResult } from "./earn";
import { assertCount, EarningInputError } from "./errors";
import { divideRounded } from "./rounding";
import type { EarnSnapshot } from "./snapshot";

export type RefundForClawback = {
  refundId: string;
  /** Refunded quantities per line item; when non-empty, amountMinor is ignored. */
  lines: { lineItemId: string; quantity: number }[];
  /**
   * Money returned that counts toward the earning basis, used only when `lines` is empty
   * (amount-only refunds). The adapter leaves out shipping/tax the program does not earn on.
   */
  amountMinor: number;
};

function assertRefund(refund: RefundForClawback): void {
  if (refund.refundId === "") throw new EarningInputError("Refund id is empty");
  for (const line of refund.lines) assertCount(line.quantity, "refunded quantity");
  assertCount(refund.amountMinor, "refund amountMinor");
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

/** First occurrence of each refund id wins: a redelivered webhook must not count twice. */
function distinctRefunds(refunds: readonly RefundForClawback[]): RefundForClawback[] {
  const seen = new Set<string>();
  return refunds.filter((refund) => !seen.has(refund.refundId) && seen.add(refund.refundId));
}

/**
 * Points that a whole set of refunds claws back from an order, whatever order they came in:
 *
 *   min(points, round_half_up(points × F)),  F = line share + amount share
 *
 * line share = Σ weight × refundedQty ÷ quantity over Σ weight, where weight is the line's basis
 * (or its quantity when no line has a basis). So refunding every line claws back everything, the
 * shipping/tax part included. Refunded quantities are summed per line across the set and capped
 * at the ordered quantity. amount share = Σ amount-only refunds ÷ order basis. All exact (BigInt).
 */
export function cumulativeClawback(
  snapshot: EarnSnapshot,
  refunds: readonly RefundForClawback[],
): number {
  refunds.forEach(assertRefund);
  if (snapshot.points === 0 || snapshot.basisMinor === 0) return 0;

  const refundedQty = new Map<string, number>();
  let amount = 0n;
  for (const refund of distinctRefunds(refunds)) {
    if (refund.lines.length === 0) amount += BigInt(refund.amountMinor);
    for (const line of refund.lines) {
      refundedQty.set(line.lineItemId, (refundedQty.get(line.lineItemId) ?? 0) + line.quantity);
    }
  }

  const lines = snapshot.lines.filter((line) => line.quantity > 0);
  const byBasis = lines.some((line) => line.basisMinor > 0);
  const weight = (line: EarnSnapshot["lines"][number]) =>
    BigInt(byBasis ? line.basisMinor : line.quantity);
  const totalWeight = lines.reduce((sum, line) => sum + weight(line), 0n);
  // Common denominator of the per-line fractions refundedQty ÷ quantity.
  const lcm = lines.reduce((acc, line) => {
    const q = BigInt(line.quantity);
    return (acc / gcd(acc, q)) * q;
  }, 1n);
  const lineNumerator = lines.reduce((sum, line) => {
    const refunded = Math.min(refundedQty.get(line.lineItemId) ?? 0, line.quantity);
    return sum + weight(line) * BigInt(refunded) * (lcm / BigInt(line.quantity));
  }, 0n);
  const lineDenominator = totalWeight === 0n ? 1n : lcm * totalWeight;

  const basis = BigInt(snapshot.basisMinor);
  // F = lineNumerator / lineDenominator + amount / basis
  const numerator = lineNumerator * basis + amount * lineDenominator;
  const denominator = lineDenominator * basis;
  const target = divideRounded(BigInt(snapshot.points) * numerator, denominator, "nearest");
  return Math.min(snapshot.points, Number(target));
}

/**
 * Points to claw back for one refund (never negative, never more than points − alreadyClawedBack).
 *
 * Contract: pass the order's latest snapshot (earn or edit), every refund of this order already
 * applied as `priorRefunds`, and as `alreadyClawedBack` all points already taken back from this
 * order: refund clawbacks plus a cancellation reversal, if any (so a refund that arrives after the
 * cancellation takes nothing); edit adjustments are not included. The result is the cumulative
 * target of prior + this refund minus what is already taken back, so
 * - after any set of refunds, in any arrival order, the total clawed back is
 *   cumulativeClawback(snapshot, set): it depends on the set only, and equals `points` exactly once
 *   everything is refunded (no rounding dust is left or overshot by partial refunds);
 * - the amount attributed to each refund is the same as planClawbacks gives when refunds are
 *   applied in canonical order (compareRefundIds, i.e. Shopify's creation order); a late refund
 *   whose id sorts before one already applied takes the difference instead;
 * - a refund id already in priorRefunds claws back 0 (duplicate delivery).
 */
export function clawbackForRefund(
  snapshot: EarnSnapshot,
  refund: RefundForClawback,
  alreadyClawedBack: number,
  priorRefunds: readonly RefundForClawback[],
): number {
  assertCount(alreadyClawedBack, "alreadyClawedBack");
  assertRefund(refund);
  if (priorRefunds.some((prior) => prior.refundId === refund.refundId)) return 0;
  const target = cumulativeClawback(snapshot, [...priorRefunds, refund]);
  const remaining = Math.max(0, snapshot.points - alreadyClawedBack);
  return Math.min(remaining, Math.max(0, target - alreadyClawedBack));
}

function splitTrailingNumber(id: string): [string, string] {
  const match = /^(.*?)(\d*)$/.exec(id);
  return [match?.[1] ?? id, (match?.[2] ?? "").replace(/^0+/, "")];
}

/**
 * Canonical refund order: ids compared with their trailing number as a number, so
 * "gid://shopify/Refund/99" sorts before "gid://shopify/Refund/100" (Shopify ids grow over time).
 */
export function compareRefundIds(a: string, b: string): number {
  const [prefixA, numberA] = splitTrailingNumber(a);
  const [prefixB, numberB] = splitTrailingNumber(b);
  if (prefixA !== prefixB) return prefixA < prefixB ? -1 : 1;
  if (numberA.length !== numberB.length) return numberA.length - numberB.length;
  if (numberA !== numberB) return numberA < numberB ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** What each refund claws back when the set is applied in canonical order, from a fresh earn. */
export function planClawbacks(
  snapshot: EarnSnapshot,
  refunds: readonly RefundForClawback[],
): { refundId: string; points: number }[] {
  const ordered = distinctRefunds(
    [...refunds].sort((a, b) => compareRefundIds(a.refundId, b.refundId)),
  );
  const applied: RefundForClawback[] = [];
  let clawed = 0;
  return ordered.map((refund) => {
    const points = clawbackForRefund(snapshot, refund, clawed, applied);
    applied.push(refund);
    clawed += points;
    return { refundId: refund.refundId, points };
  });
}

/** orders/cancelled: whatever this order still holds (count it in later alreadyClawedBack). */
export function reversalForCancellation(snapshot: EarnSnapshot, alreadyClawedBack: number): number {
  assertCount(alreadyClawedBack, "alreadyClawedBack");
  return Math.max(0, snapshot.points - alreadyClawedBack);
}

/**
 * orders/edited: signed points to post so the order holds max(0, next.points − alreadyClawedBack).
 * An order's effective earn is max(snapshot points, clawed back): once refunds have taken more than
 * an edit leaves, the order holds 0 rather than going negative, and later refunds/cancellation
 * (which use next.snapshot) claw back nothing more. Compute `next` from the ordered quantities,
 * not net of refunds: refunds are accounted for by alreadyClawedBack.
 */
export function adjustmentForEdit(
  previous: EarnSnapshot,
  next: EarnResult,
  alreadyClawedBack: number,
): number {
  assertCount(alreadyClawedBack, "alreadyClawedBack");
  return Math.max(next.points, alreadyClawedBack) - Math.max(previous.points, alreadyClawedBack);
}
