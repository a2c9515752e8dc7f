import { addDays, formatIsoDate, type LocalDate } from "../calendar";

/**
 * The pending period (program setting `pending.days`): an order's points are credited when it is
 * paid but held, so they cannot be spent, until the shop-local day `days` after the day they were
 * earned, when the daily run releases them. Held points stay in the balance (the ledger has the
 * entry); what is held is derived from the orders still in their period, never tracked by hand.
 */

/** The local day the order's points become spendable (ISO date), or null when nothing is held. */
export function pendingReleaseDate(earnedOn: LocalDate, days: number): string | null {
  return days > 0 ? formatIsoDate(addDays(earnedOn, days)) : null;
}

/**
 * Points held today: what each order still in its period holds (its earn minus what refunds,
 * edits and cancellation took back, never below 0), at most the balance (a debt from a
 * negative-balance clawback is not held points).
 */
export function heldPoints(heldOrderNets: readonly number[], balance: number): number {
  const held = heldOrderNets.reduce((sum, net) => sum + Math.max(0, net), 0);
  return Math.max(0, Math.min(held, balance));
}

/** What can be spent now (redemptions, manual and Flow debits). */
export function spendablePoints(balance: number, held: number): number {
  return Math.max(0, balance - held);
}
