/**
 * Tier evaluation: a pure function of the member's tier state, spend history, the rules and `now`.
 * A period lasts `periodDays` (default 365) from entry or from the last extension.
 *
 * Rules, in the order they are applied:
 * 1. Reviews. Each time a period has ended (`expiresAt <= now`) the member is measured over the
 *    365 days ending at that period end (not at `now`, so a late scheduler gives the same answer):
 *    - meets the tier's maintain (or entry) bar → `spending_extend`, a new period from that end;
 *    - otherwise → `spending_downgrade` to the highest lower tier whose maintain (or entry) bar is
 *      met, or to no tier, with a new period from that end.
 *    Several periods may have ended since the last evaluation; each is reviewed in turn.
 * 2. Lock. While a lock is in force (review instant < `lockedUntil`) a downgrade stops at the
 *    locked tier. A member who holds the locked tier itself and misses the bar keeps it until the
 *    lock ends, where it is reviewed again (no event: nothing changed). Upgrades are never blocked.
 * 3. Upgrade. If the entry bar of a higher tier is met at `now`, the member moves straight to the
 *    highest such tier: `spending_upgrade`, or `spending_assign` when they had no tier.
 *
 * Entry bonuses are reported for each tier entered upward (from no tier or a lower one) unless
 * already granted: a downgrade into a tier never pays a bonus, and tiers jumped over are not paid.
 */
import { highestRank, keepsTier, measuresAt, meetsThreshold, tierPeriodMs } from "./measure";
import type {
  MemberTierState,
  TierChange,
  TierChangeKind,
  TierEntryBonus,
  TierEvaluation,
  TierMetrics,
  TierRule,
} from "./types";

export type EvaluateTierInput = {
  readonly state: MemberTierState;
  readonly rules: readonly TierRule[];
  readonly metrics: TierMetrics;
  /** Tiers whose entry bonus this member already received. */
  readonly bonusGrantedTierIds: Iterable<string>;
  readonly now: Date;
  /** Length of a tier period in days (program setting `tierRules.periodDays`); default 365. */
  readonly periodDays?: number;
};

// Reviews are at least a day apart, so this only binds on absurd input (a 1-day period decades
// overdue); the state it returns is still consistent and the next evaluation carries on.
const MAX_REVIEWS = 10_000;

function lockInForce(state: MemberTierState, at: Date): boolean {
  return state.lockedUntil !== null && at.getTime() < state.lockedUntil.getTime();
}

/** Ranks of tiers by id; the list order is the rank order (lowest first). */
export function rankTiers(rules: readonly TierRule[]): ReadonlyMap<string, number> {
  return new Map(rules.map((rule, rank) => [rule.id, rank]));
}

/**
 * Collects entry bonuses for upward moves, at most one per tier across the granted set and this
 * evaluation's own changes.
 */
export function entryBonusesFor(
  changes: readonly TierChange[],
  rules: readonly TierRule[],
  bonusGrantedTierIds: Iterable<string>,
): TierEntryBonus[] {
  const ranks = rankTiers(rules);
  const paid = new Set(bonusGrantedTierIds);
  const bonuses: TierEntryBonus[] = [];
  for (const change of changes) {
    if (change.tierId === null) continue;
    const to = ranks.get(change.tierId) ?? -1;
    const from = change.previousTierId === null ? -1 : (ranks.get(change.previousTierId) ?? -1);
    const rule = rules[to];
    if (!rule || to <= from || paid.has(rule.id)) continue;
    paid.add(rule.id);
    if (rule.entryBonusPoints > 0) bonuses.push({ tierId: rule.id, points: rule.entryBonusPoints });
  }
  return bonuses;
}

export function evaluateTier(input: EvaluateTierInput): TierEvaluation {
  const { rules, metrics, now } = input;
  if (Number.isNaN(now.getTime())) throw new RangeError("now is an invalid Date");
  const period = tierPeriodMs(input.periodDays);
  const plusPeriod = (at: Date) => new Date(at.getTime() + period);
  const ranks = rankTiers(rules);
  const changes: TierChange[] = [];
  let state = input.state;

  const record = (change: TierChangeKind, at: Date, previousTierId: string | null) =>
    changes.push({
      change,
      at,
      previousTierId,
      tierId: state.tierId,
      enteredAt: state.enteredAt,
      expiresAt: state.expiresAt,
      lockedUntil: lockInForce(state, at) ? state.lockedUntil : null,
    });
  const enter = (rank: number, at: Date) => {
    const rule = rules[rank];
    state = rule
      ? { ...state, tierId: rule.id, enteredAt: at, expiresAt: plusPeriod(at) }
      : { ...state, tierId: null, enteredAt: null, expiresAt: null };
  };

  // A tier that is no longer configured (deleted by the merchant) counts as no tier.
  const orphanTierId = state.tierId !== null && !ranks.has(state.tierId) ? state.tierId : null;
  if (orphanTierId !== null) state = { ...state, tierId: null, enteredAt: null, expiresAt: null };

  for (let reviews = 0; reviews < MAX_REVIEWS; reviews++) {
    const rank = state.tierId === null ? -1 : (ranks.get(state.tierId) ?? -1);
    const current = rules[rank];
    const at = state.expiresAt;
    if (!current || at === null || at.getTime() > now.getTime()) break;

    const measures = measuresAt(metrics, at);
    if (keepsTier(current, measures)) {
      state = { ...state, expiresAt: plusPeriod(at) };
      record("spending_extend", at, current.id);
      continue;
    }
    let target = highestRank(rules, rank, (rule) => keepsTier(rule, measures));
    if (lockInForce(state, at)) {
      const floor = ranks.get(state.lockedTierId ?? current.id) ?? -1;
      if (target < floor && floor >= rank) {
        // Holding the locked tier itself: keep it and review again when the lock ends.
        state = { ...state, expiresAt: state.lockedUntil };
        continue;
      }
      target = Math.max(target, floor);
    }
    enter(target, at);
    record("spending_downgrade", at, current.id);
  }

  const rank = state.tierId === null ? -1 : (ranks.get(state.tierId) ?? -1);
  const measures = measuresAt(metrics, now);
  const qualifying = highestRank(rules, rules.length, (rule) =>
    meetsThreshold(rule.threshold, measures),
  );
  if (qualifying > rank) {
    const previous = state.tierId ?? orphanTierId;
    enter(qualifying, now);
    record(rank === -1 ? "spending_assign" : "spending_upgrade", now, previous);
  } else if (orphanTierId !== null && state.tierId === null) {
    // The orphaned tier is gone and nothing else qualifies: tell the destinations it was lost.
    record("spending_downgrade", now, orphanTierId);
  }

  if (state.lockedUntil !== null && !lockInForce(state, now)) {
    state = { ...state, lockedUntil: null, lockedTierId: null };
  }
  return {
    state,
    changes,
    entryBonuses: entryBonusesFor(changes, rules, input.bonusGrantedTierIds),
  };
}
