import { cumulativeClawback, type RefundForClawback } from "../earning/clawback";
import { compareRefundIds } from "../earning/clawback";
import type { EarnSnapshot } from "../earning/snapshot";
import type { StoreCreditConfig } from "../program/config";

/**
 * Cashback for an order's eligible amount (the earning basis: the same exclusions, shipping and
 * tax settings as points), in the shop currency's minor units, rounded down so the shop never
 * gives more than the rate. 0 when cashback is off or the order is below the minimum.
 */
export function cashbackForBasis(basisMinor: number, config: StoreCreditConfig): number {
  if (!config.enabled || config.cashbackBasisPoints === 0) return 0;
  if (!Number.isSafeInteger(basisMinor) || basisMinor < 0) {
    throw new RangeError(`basis must be a non-negative integer, got ${basisMinor}`);
  }
  if (basisMinor < config.minOrderMinor) return 0;
  return Number((BigInt(basisMinor) * BigInt(config.cashbackBasisPoints)) / 10_000n);
}

export type CashbackSource = "cashback" | "order_refund" | "order_cancelled";

export interface CashbackTransaction {
  key: string;
  kind: "credit" | "debit";
  source: CashbackSource;
  amountMinor: number;
  refundId: string | null;
}

export interface CashbackFacts {
  orderId: string;
  /** What the order asks of cashback now: null when it is not paid (or not in the shop currency). */
  offer: { snapshot: EarnSnapshot; amountMinor: number } | null;
  /** Rows already written for the order (their requested amounts). */
  existing: readonly { key: string; kind: "credit" | "debit"; amountMinor: number }[];
  refunds: readonly RefundForClawback[];
  cancelled: boolean;
}

export const cashbackKeys = (orderId: string) => ({
  credit: `cashback:${orderId}:credit`,
  refund: (refundId: string) => `cashback:${orderId}:refund:${refundId}`,
  cancel: `cashback:${orderId}:cancel`,
});

/**
 * The transactions an order's facts still call for, each under its own key, so any arrival order
 * of paid / refunds / cancel ends at the same net cashback, and a redelivery plans nothing:
 * - the credit once, with the amount of the offer when it is first planned (later rule changes
 *   never revalue it); no credit for an order already cancelled;
 * - per refund, the proportional share (cumulativeClawback over the credit as "points": exact,
 *   order-independent, refunding everything takes back exactly the credit);
 * - on cancel, whatever is left.
 * The snapshot used for refunds is the one stored with the credit (`creditSnapshot`).
 */
export function planCashback(
  facts: CashbackFacts,
  creditSnapshot: EarnSnapshot | null,
): CashbackTransaction[] {
  const keys = cashbackKeys(facts.orderId);
  const planned: CashbackTransaction[] = [];
  const existingKeys = new Set(facts.existing.map((e) => e.key));
  let credit = facts.existing.find((e) => e.key === keys.credit)?.amountMinor ?? 0;
  let snapshot = creditSnapshot;
  if (!existingKeys.has(keys.credit)) {
    if (!facts.offer || facts.offer.amountMinor <= 0 || facts.cancelled) return [];
    credit = facts.offer.amountMinor;
    snapshot = facts.offer.snapshot;
    planned.push({
      key: keys.credit,
      kind: "credit",
      source: "cashback",
      amountMinor: credit,
      refundId: null,
    });
  }
  if (credit <= 0 || !snapshot) return planned;
  const asPoints: EarnSnapshot = { ...snapshot, points: credit };
  let net =
    credit -
    facts.existing.filter((e) => e.kind === "debit").reduce((sum, e) => sum + e.amountMinor, 0);
  const refunds = [...facts.refunds].sort((a, b) => compareRefundIds(a.refundId, b.refundId));
  const applied = refunds.filter((r) => existingKeys.has(keys.refund(r.refundId)));
  const cancelDone = existingKeys.has(keys.cancel);
  for (const refund of refunds) {
    const key = keys.refund(refund.refundId);
    if (existingKeys.has(key)) continue;
    applied.push(refund);
    const target = cancelDone ? 0 : credit - cumulativeClawback(asPoints, applied);
    const amount = net - target;
    if (amount > 0) {
      planned.push({
        key,
        kind: "debit",
        source: "order_refund",
        amountMinor: amount,
        refundId: refund.refundId,
      });
      net -= amount;
    }
  }
  if (facts.cancelled && !cancelDone && net > 0) {
    planned.push({
      key: keys.cancel,
      kind: "debit",
      source: "order_cancelled",
      amountMinor: net,
      refundId: null,
    });
  }
  return planned;
}

/**
 * What a lost answer did, told by the balance read back: the transaction ran when the balance moved
 * by exactly its amount, did not when it did not move; anything else (the shopper spent credit in
 * between, credit expired) cannot be told apart and needs a person.
 */
export function outcomeFromBalance(
  kind: "credit" | "debit",
  amountMinor: number,
  before: number,
  now: number,
): "applied" | "not_applied" | "unclear" {
  const expected = kind === "credit" ? before + amountMinor : before - amountMinor;
  if (now === expected) return "applied";
  if (now === before) return "not_applied";
  return "unclear";
}
