/** Measuring a member against tier thresholds at a given instant. */
import type { SpendRecord, TierMetrics, TierRule, TierThreshold } from "./types";

const DAY_MS = 86_400_000;

/**
 * The spend window and the default tier period are 365 days of 24 hours: tier rules need no time
 * zone, and leap years do not stretch them.
 */
export const SPEND_WINDOW_DAYS = 365;
export const DEFAULT_TIER_PERIOD_DAYS = 365;

/** A tier period in milliseconds (`periodDays` from the program's tier rules, default 365). */
export function tierPeriodMs(periodDays: number = DEFAULT_TIER_PERIOD_DAYS): number {
  if (!Number.isSafeInteger(periodDays) || periodDays < 1) {
    throw new RangeError(`tier period must be a positive whole number of days, got ${periodDays}`);
  }
  return periodDays * DAY_MS;
}

export type TierMeasures = { readonly spendMinor: number; readonly lifetimePoints: number };

/**
 * Net spend in the 365 days ending at `end`: records with `end - 365d < at <= end`. Refunds
 * (negative records) count in the window they were made in; the total never goes below zero.
 */
export function spendInWindow(spend: readonly SpendRecord[], end: Date): number {
  const endMs = end.getTime();
  const startMs = endMs - SPEND_WINDOW_DAYS * DAY_MS;
  let total = 0;
  for (const record of spend) {
    const at = record.at.getTime();
    if (at > startMs && at <= endMs) total += record.minor;
  }
  return Math.max(0, total);
}

/**
 * Lifetime points are only known as of now, so a review at an earlier instant uses today's
 * figure; lifetime earned points only shrink through refund clawbacks, so this rarely matters.
 */
export function measuresAt(metrics: TierMetrics, at: Date): TierMeasures {
  return { spendMinor: spendInWindow(metrics.spend, at), lifetimePoints: metrics.lifetimePoints };
}

export function meetsThreshold(threshold: TierThreshold, measures: TierMeasures): boolean {
  return threshold.kind === "spend_365d"
    ? measures.spendMinor >= threshold.minor
    : measures.lifetimePoints >= threshold.points;
}

/** The maintain bar in the tier's own unit, or null when the tier has none. */
export function maintainThreshold(rule: TierRule): TierThreshold | null {
  if (rule.threshold.kind === "spend_365d") {
    return rule.maintainMinor === undefined
      ? null
      : { kind: "spend_365d", minor: rule.maintainMinor };
  }
  return rule.maintainPoints === undefined
    ? null
    : { kind: "lifetime_points", points: rule.maintainPoints };
}

/** Keeping a tier takes its maintain bar or its entry bar, whichever is met. */
export function keepsTier(rule: TierRule, measures: TierMeasures): boolean {
  const maintain = maintainThreshold(rule);
  return (
    meetsThreshold(rule.threshold, measures) ||
    (maintain !== null && meetsThreshold(maintain, measures))
  );
}

/** Rank (list index) of the highest tier below `belowRank` that `test` accepts, or -1. */
export function highestRank(
  rules: readonly TierRule[],
  belowRank: number,
  test: (rule: TierRule) => boolean,
): number {
  for (let rank = Math.min(belowRank, rules.length) - 1; rank >= 0; rank--) {
    const rule = rules[rank];
    if (rule && test(rule)) return rank;
  }
  return -1;
}

/** The earning multiplier of the member's tier; 1 without a (configured) tier. */
export function earnMultiplierFor(rules: readonly TierRule[], tierId: string | null): number {
  return rules.find((rule) => rule.id === tierId)?.earnMultiplier ?? 1;
}

export type NextTierProgress = {
  readonly tier: TierRule;
  /** How much more the member needs, in the next tier's own unit. */
  readonly remaining: TierThreshold;
};

/**
 * The tier above the member's current one and what is missing to reach it (for the Klaviyo
 * properties loyalty_next_tier / loyalty_spend_to_next_tier). Null at the top tier.
 */
/** The tier above `tierId` (the first tier for a member without one); null at the top. */
export function nextTierRule(rules: readonly TierRule[], tierId: string | null): TierRule | null {
  const rank = tierId === null ? -1 : rules.findIndex((rule) => rule.id === tierId);
  return rules[rank + 1] ?? null;
}

export function nextTierProgress(
  rules: readonly TierRule[],
  tierId: string | null,
  metrics: TierMetrics,
  now: Date,
): NextTierProgress | null {
  const next = nextTierRule(rules, tierId);
  if (!next) return null;
  const measures = measuresAt(metrics, now);
  const remaining: TierThreshold =
    next.threshold.kind === "spend_365d"
      ? { kind: "spend_365d", minor: Math.max(0, next.threshold.minor - measures.spendMinor) }
      : {
          kind: "lifetime_points",
          points: Math.max(0, next.threshold.points - measures.lifetimePoints),
        };
  return { tier: next, remaining };
}
