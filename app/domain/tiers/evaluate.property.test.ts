import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateTier } from "./evaluate";
import { assignTierManually } from "./manual";
import { DAY, NOW } from "./test-fixtures";
import type { MemberTierState, SpendRecord, TierMetrics, TierRule, TierThreshold } from "./types";

// An independent oracle for the measures, written the obvious way.
function spendOracle(records: readonly SpendRecord[], end: number): number {
  const inWindow = records.filter((r) => r.at.getTime() > end - 365 * DAY && r.at.getTime() <= end);
  return Math.max(
    0,
    inWindow.reduce((sum, r) => sum + r.minor, 0),
  );
}
function meets(threshold: TierThreshold, metrics: TierMetrics, at: number): boolean {
  return threshold.kind === "spend_365d"
    ? spendOracle(metrics.spend, at) >= threshold.minor
    : metrics.lifetimePoints >= threshold.points;
}
function keeps(rule: TierRule, metrics: TierMetrics, at: number): boolean {
  const maintain = rule.threshold.kind === "spend_365d" ? rule.maintainMinor : rule.maintainPoints;
  const bar: TierThreshold | null =
    maintain === undefined
      ? null
      : rule.threshold.kind === "spend_365d"
        ? { kind: "spend_365d", minor: maintain }
        : { kind: "lifetime_points", points: maintain };
  return meets(rule.threshold, metrics, at) || (bar !== null && meets(bar, metrics, at));
}

const rulesArb: fc.Arbitrary<TierRule[]> = fc
  .tuple(
    fc.constantFrom("spend_365d" as const, "lifetime_points" as const),
    fc.array(
      fc.record({
        bar: fc.integer({ min: 0, max: 2_000 }),
        maintainPercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        bonus: fc.integer({ min: 0, max: 3 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([kind, tiers]) =>
    [...tiers]
      .sort((a, b) => a.bar - b.bar)
      .map((tier, rank): TierRule => {
        const maintain =
          tier.maintainPercent === undefined
            ? undefined
            : Math.floor((tier.bar * tier.maintainPercent) / 100);
        return {
          id: `t${rank}`,
          name: `Tier ${rank}`,
          threshold:
            kind === "spend_365d"
              ? { kind, minor: tier.bar }
              : { kind: "lifetime_points", points: tier.bar },
          ...(kind === "spend_365d" ? { maintainMinor: maintain } : { maintainPoints: maintain }),
          earnMultiplier: 1,
          entryBonusPoints: tier.bonus,
        };
      }),
  );

const daysArb = (min: number, max: number) =>
  fc
    .integer({ min: min * 24, max: max * 24 })
    .map((hours) => new Date(NOW.getTime() + hours * 3_600_000));

const metricsArb: fc.Arbitrary<TierMetrics> = fc.record({
  spend: fc.array(
    fc.record({ at: daysArb(-1_100, 0), minor: fc.integer({ min: -300, max: 900 }) }),
    {
      maxLength: 12,
    },
  ),
  lifetimePoints: fc.integer({ min: 0, max: 3_000 }),
});

const stateArb = (rules: TierRule[]): fc.Arbitrary<MemberTierState> =>
  fc
    .record({
      rank: fc.integer({ min: -1, max: rules.length - 1 }),
      expiresAt: daysArb(-1_000, 365),
      lock: fc.option(
        fc.record({
          until: daysArb(-200, 700),
          rank: fc.option(fc.integer({ min: 0, max: rules.length - 1 })),
        }),
      ),
    })
    .map(({ rank, expiresAt, lock }) => {
      const tier = rules[rank];
      if (!tier) return { tierId: null, enteredAt: null, expiresAt: null, lockedUntil: null };
      return {
        tierId: tier.id,
        enteredAt: new Date(expiresAt.getTime() - 365 * DAY),
        expiresAt,
        lockedUntil: lock?.until ?? null,
        lockedTierId: lock && lock.rank !== null ? (rules[lock.rank]?.id ?? null) : undefined,
      };
    });

const scenarioArb = rulesArb.chain((rules) =>
  fc.record({ rules: fc.constant(rules), state: stateArb(rules), metrics: metricsArb }),
);

describe("evaluateTier properties", () => {
  it("never skips the maintain rule, never reviews early and never leaves a period overdue", () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules, state, metrics }) => {
        const rank = (id: string | null) => rules.findIndex((rule) => rule.id === id);
        const result = evaluateTier({ state, rules, metrics, bonusGrantedTierIds: [], now: NOW });
        let expiry = state.expiresAt?.getTime() ?? null;
        for (const change of result.changes) {
          const t = change.at.getTime();
          expect(t).toBeLessThanOrEqual(NOW.getTime());
          const from = rank(change.previousTierId);
          const to = rank(change.tierId);
          const previous = rules[from];
          if (change.change === "spending_extend" || change.change === "spending_downgrade") {
            // a review happens only when the period (or a lock hold) has ended
            expect([expiry, state.lockedUntil?.getTime()]).toContain(t);
          }
          if (change.change === "spending_extend") {
            expect(previous && keeps(previous, metrics, t)).toBe(true);
          }
          if (change.change === "spending_downgrade" && previous) {
            expect(to).toBeLessThan(from);
            // neither the old tier nor any tier between lands the member was good enough to keep
            for (let r = to + 1; r <= from; r++) expect(keeps(rules[r]!, metrics, t)).toBe(false);
            const forcedToFloor = state.lockedUntil !== null && t < state.lockedUntil.getTime();
            if (to >= 0 && !forcedToFloor) expect(keeps(rules[to]!, metrics, t)).toBe(true);
          }
          expiry = change.expiresAt?.getTime() ?? null;
        }
        const final = result.state;
        if (final.tierId !== null)
          expect(final.expiresAt!.getTime()).toBeGreaterThan(NOW.getTime());
        // upgrades are immediate: never below the highest tier whose entry bar is met now
        const qualifying = rules.findLastIndex((rule) =>
          meets(rule.threshold, metrics, NOW.getTime()),
        );
        expect(rank(final.tierId)).toBeGreaterThanOrEqual(qualifying);
      }),
      { numRuns: 400 },
    );
  });

  it("never lets a lock's tier be lost before the lock ends", () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules, state, metrics }) => {
        const rank = (id: string | null | undefined) => rules.findIndex((rule) => rule.id === id);
        const result = evaluateTier({ state, rules, metrics, bonusGrantedTierIds: [], now: NOW });
        const lockEnd = state.lockedUntil?.getTime() ?? -Infinity;
        for (const change of result.changes) {
          if (change.change !== "spending_downgrade" || change.at.getTime() >= lockEnd) continue;
          const floor = rank(state.lockedTierId ?? change.previousTierId);
          expect(rank(change.tierId)).toBeGreaterThanOrEqual(floor);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("holds a manually assigned, locked tier through any spend history until the lock ends", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.integer({ min: 1, max: 900 }),
        fc.integer({ min: 0, max: 1_200 }),
        ({ rules, metrics }, lockDays, laterDays) => {
          const tier = rules[rules.length - 1]!;
          const assigned = assignTierManually({
            state: { tierId: null, enteredAt: null, expiresAt: null, lockedUntil: null },
            rules,
            tierId: tier.id,
            lockedUntil: new Date(NOW.getTime() + lockDays * DAY),
            bonusGrantedTierIds: [],
            now: NOW,
          });
          const later = new Date(NOW.getTime() + laterDays * DAY);
          const result = evaluateTier({
            ...assigned,
            rules,
            metrics,
            bonusGrantedTierIds: [],
            now: later,
          });
          if (laterDays < lockDays) expect(result.state.tierId).toBe(tier.id);
        },
      ),
    );
  });

  it("reports each tier's entry bonus at most once across a member's life, and is idempotent", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 6 }),
        ({ rules, state, metrics }, gaps) => {
          const granted = new Set<string>();
          let current = state;
          let now = NOW.getTime();
          for (const gap of gaps) {
            now += gap * DAY;
            const input = { rules, metrics, now: new Date(now) };
            const result = evaluateTier({ ...input, state: current, bonusGrantedTierIds: granted });
            for (const bonus of result.entryBonuses) {
              expect(granted.has(bonus.tierId)).toBe(false);
              granted.add(bonus.tierId);
            }
            // evaluating again at the same instant changes nothing and pays nothing
            const again = evaluateTier({
              ...input,
              state: result.state,
              bonusGrantedTierIds: granted,
            });
            expect(again.changes).toEqual([]);
            expect(again.entryBonuses).toEqual([]);
            current = result.state;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
