/** Manual tier assignment (admin UI, the "Set VIP tier" Flow action). */
import { entryBonusesFor, rankTiers } from "./evaluate";
import { tierPeriodMs } from "./measure";
import type { MemberTierState, TierChange, TierEvaluation, TierRule } from "./types";

export type AssignTierInput = {
  readonly state: MemberTierState;
  readonly rules: readonly TierRule[];
  /** The tier to assign, or null to remove the member's tier. */
  readonly tierId: string | null;
  /** Optional lock; one that is not after `now` has no effect and is dropped. */
  readonly lockedUntil: Date | null;
  readonly bonusGrantedTierIds: Iterable<string>;
  readonly now: Date;
  /** Length of a tier period in days; default 365. */
  readonly periodDays?: number;
};

/**
 * Assigns a tier by hand (`manual_assign`). The assignment starts a fresh period; with a lock the
 * period runs at least until the lock ends, so the tier expiry date a shopper sees is honest.
 * Re-assigning the current tier keeps its original entry date. Spending can still lift the member
 * above the assigned tier on the next `evaluateTier`; the lock only stops downgrades below it.
 * An upward manual move pays the entry bonus like any other entry.
 */
export function assignTierManually(input: AssignTierInput): TierEvaluation {
  const { state, rules, tierId, now } = input;
  if (tierId !== null && !rankTiers(rules).has(tierId)) {
    throw new RangeError(`unknown tier: ${tierId}`);
  }
  const lockedUntil =
    tierId !== null && input.lockedUntil !== null && input.lockedUntil.getTime() > now.getTime()
      ? input.lockedUntil
      : null;
  const periodEnd = now.getTime() + tierPeriodMs(input.periodDays);
  const next: MemberTierState =
    tierId === null
      ? { tierId: null, enteredAt: null, expiresAt: null, lockedUntil: null, lockedTierId: null }
      : {
          tierId,
          enteredAt: tierId === state.tierId && state.enteredAt ? state.enteredAt : now,
          expiresAt: new Date(Math.max(periodEnd, lockedUntil?.getTime() ?? 0)),
          lockedUntil,
          lockedTierId: lockedUntil ? tierId : null,
        };
  const change: TierChange = {
    change: "manual_assign",
    at: now,
    previousTierId: state.tierId,
    tierId: next.tierId,
    enteredAt: next.enteredAt,
    expiresAt: next.expiresAt,
    lockedUntil: next.lockedUntil,
  };
  return {
    state: next,
    changes: [change],
    entryBonuses: entryBonusesFor([change], rules, input.bonusGrantedTierIds),
  };
}

/**
 * Idempotency key for a tier entry bonus ledger entry: one per member and tier, ever, so a
 * replayed evaluation or a re-entry after a downgrade never pays twice.
 */
export function tierEntryBonusKey(memberId: string, tierId: string): string {
  return `tier:${memberId}:${tierId}:entry_bonus`;
}
