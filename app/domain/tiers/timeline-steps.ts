// The tier replay's steps (ADR 0054): upgrades, period reviews, program changes, and the undo of
// an upgrade a refund or cancellation took the spend from. See timeline.ts for the rules.
import { rankTiers } from "./evaluate";
import { assignTierManually } from "./manual";
import { highestRank, keepsTier, meetsThreshold, tierPeriodMs, type TierMeasures } from "./measure";
import {
  NO_TIER,
  type Fact,
  type ProgramPeriod,
  type Sim,
  type TierAssignment,
  type TierChangeReason,
  type TierEntry,
} from "./timeline-types";
import type { MemberTierState, TierChangeKind } from "./types";

export function lockInForce(state: MemberTierState, at: Date): boolean {
  return state.lockedUntil !== null && at.getTime() < state.lockedUntil.getTime();
}

export function dropLapsedLock(state: MemberTierState, now: Date): MemberTierState {
  return state.lockedUntil !== null && !lockInForce(state, now)
    ? { ...state, lockedUntil: null, lockedTierId: null }
    : state;
}

export type Recorder = (
  change: TierChangeKind,
  reason: TierChangeReason,
  at: Date,
  previous: string | null,
  state: MemberTierState,
) => void;
export type Measure = (
  at: Date,
  knownAt: Date,
  entries: readonly TierEntry[],
  throughOrder?: string,
) => TierMeasures;

/** The replay's steps, over the program in force (read through `current`). */
export function stepper(current: () => ProgramPeriod, measure: Measure) {
  const rankOf = (tierId: string | null) =>
    tierId === null ? -1 : (rankTiers(current().rules).get(tierId) ?? -1);
  const enter = (sim: Sim, rank: number, at: Date, origin: Sim["origin"], entry: boolean): Sim => {
    const rule = current().rules[rank];
    if (!rule) {
      const tier = { ...sim.tier, tierId: null, enteredAt: null, expiresAt: null };
      return { tier, origin: null, entries: sim.entries };
    }
    const period = tierPeriodMs(current().periodDays);
    const tier = {
      ...sim.tier,
      tierId: rule.id,
      enteredAt: at,
      expiresAt: new Date(at.getTime() + period),
    };
    const entries = entry
      ? [...sim.entries, { tierId: rule.id, at, bonusPoints: rule.entryBonusPoints }]
      : sim.entries;
    return { tier, origin, entries };
  };

  /** Enters the highest tier whose entry bar is met at `at` (known at `knownAt`), if higher. */
  function upgrade(
    sim: Sim,
    at: Date,
    knownAt: Date,
    reason: TierChangeReason,
    record: Recorder,
    throughOrder?: string,
  ) {
    const rules = current().rules;
    const rank = rankOf(sim.tier.tierId);
    const measures = measure(at, knownAt, sim.entries, throughOrder);
    const qualifying = highestRank(rules, rules.length, (r) =>
      meetsThreshold(r.threshold, measures),
    );
    if (qualifying <= rank) return sim;
    const previous = sim.tier.tierId;
    const next = enter(sim, qualifying, at, { at, before: sim }, true);
    record(rank === -1 ? "spending_assign" : "spending_upgrade", reason, at, previous, next.tier);
    return next;
  }

  /**
   * Period reviews up to `until` (each measured at its own end, with what was known then, or at
   * `knownAt` when redoing a period with later knowledge).
   */
  function reviewUntil(sim: Sim, until: Date, knownAt: Date | null, record: Recorder) {
    let current_ = sim;
    for (let guard = 0; guard < 10_000; guard++) {
      const rules = current().rules;
      const rank = rankOf(current_.tier.tierId);
      const rule = rules[rank];
      const end = current_.tier.expiresAt;
      if (!rule || end === null || end.getTime() > until.getTime()) break;
      const measures = measure(end, knownAt ?? end, current_.entries);
      const period = tierPeriodMs(current().periodDays);
      if (keepsTier(rule, measures)) {
        current_ = {
          ...current_,
          tier: { ...current_.tier, expiresAt: new Date(end.getTime() + period) },
          origin: null,
        };
        record("spending_extend", "period_end", end, rule.id, current_.tier);
        continue;
      }
      let target = highestRank(rules, rank, (r) => keepsTier(r, measures));
      if (lockInForce(current_.tier, end)) {
        const floor = rankOf(current_.tier.lockedTierId ?? rule.id);
        if (target < floor && floor >= rank) {
          // Holding the locked tier itself: keep it and review again when the lock ends.
          current_ = {
            ...current_,
            tier: { ...current_.tier, expiresAt: current_.tier.lockedUntil },
          };
          continue;
        }
        target = Math.max(target, floor);
      }
      current_ = enter(current_, target, end, null, false);
      record("spending_downgrade", "period_end", end, rule.id, current_.tier);
    }
    return current_;
  }

  /** A new program version: re-place members on removed tiers, upgrade those who qualify. */
  function programChange(sim: Sim, at: Date, record: Recorder) {
    if (sim.tier.tierId !== null && rankOf(sim.tier.tierId) === -1) {
      const previous = sim.tier.tierId;
      const placed = upgrade(
        { ...sim, tier: { ...sim.tier, ...NO_TIER } },
        at,
        at,
        "program_change",
        () => {},
      );
      const next = { ...placed, origin: null };
      record(
        next.tier.tierId === null ? "spending_downgrade" : "spending_assign",
        "program_change",
        at,
        previous,
        next.tier,
      );
      return next;
    }
    const next = upgrade(sim, at, at, "program_change", record);
    return next === sim ? sim : { ...next, origin: null };
  }

  /**
   * A refund or cancellation at `at`: while the current tier was entered by spend in its current
   * period and the spend known now does not support it, redo that period from the state before
   * the upgrade. Stops at a tier the merchant assigned, a lock in force, or a tier still supported.
   */
  function undo(
    sim: Sim,
    at: Date,
    kind: "refund" | "cancellation",
    facts: readonly Fact[],
    record: Recorder,
  ) {
    let current_ = sim;
    while (current_.origin) {
      const rank = rankOf(current_.tier.tierId);
      const redone = redo(current_.origin.before, current_.origin.at, at, facts);
      const redoneRank = rankOf(redone.tier.tierId);
      if (redoneRank >= rank) {
        // The same tier, reached later by spend that still stands: its dates are those.
        if (redoneRank === rank && redone.origin?.at.getTime() !== current_.origin.at.getTime()) {
          current_ = redone;
        }
        break;
      }
      // A lock in force is a floor: the locked tier (or, without one named, the tier held).
      if (lockInForce(current_.tier, at)) {
        const floor = rankOf(current_.tier.lockedTierId ?? current_.tier.tierId);
        if (redoneRank < floor) break;
      }
      const previous = current_.tier.tierId;
      current_ = redone;
      const reason = kind === "refund" ? "refund" : "cancellation";
      record("spending_downgrade", reason, at, previous, current_.tier);
    }
    return current_;
  }

  /** The period from `from` to `until` again from `before`, with what is known at `until`. */
  function redo(before: Sim, from: Date, until: Date, facts: readonly Fact[]) {
    const silent: Recorder = () => {};
    let sim = before;
    for (const fact of facts) {
      const t = fact.at.getTime();
      if (t < from.getTime() || t > until.getTime()) continue;
      if (fact.kind !== "paid" && fact.kind !== "points") continue;
      sim = reviewUntil(sim, fact.at, until, silent);
      const through = fact.kind === "paid" ? fact.order.orderId : undefined;
      sim = upgrade(sim, fact.at, until, "spend", silent, through);
    }
    return reviewUntil(sim, until, until, silent);
  }

  /**
   * The merchant's assignment: the tier (or none) with its lock and a fresh period; an upward
   * move is an entry. It starts no period a refund could undo. A `floor` only lifts the tier.
   */
  function assign(sim: Sim, assignment: TierAssignment, record: Recorder): Sim {
    const { tierId, at } = assignment;
    const rule = current().rules.find((r) => r.id === tierId);
    // A tier a later program removed is placed afresh by that version's change.
    if (tierId !== null && !rule) return sim;
    const up = rankOf(tierId) > rankOf(sim.tier.tierId);
    if (assignment.floor && !up) return sim;
    const { state } = assignTierManually({
      state: sim.tier,
      rules: current().rules,
      tierId,
      lockedUntil: assignment.lockedUntil,
      bonusGrantedTierIds: [],
      now: at,
      periodDays: current().periodDays,
    });
    const entries =
      up && rule
        ? [...sim.entries, { tierId: rule.id, at, bonusPoints: rule.entryBonusPoints }]
        : sim.entries;
    record("manual_assign", assignment.reason, at, sim.tier.tierId, state);
    return { tier: state, origin: null, entries };
  }

  return { upgrade, reviewUntil, programChange, undo, assign };
}
