/** Sanity checks on a tier list, for the settings form and for config loading. */
import { maintainThreshold } from "./measure";
import type { TierRule } from "./types";

const isCount = (value: number) => Number.isSafeInteger(value) && value >= 0;

/**
 * Problems that would make evaluation surprising; empty when the list is sound. Evaluation ranks
 * tiers by list position, so thresholds of the same kind must not go down the list.
 */
export function tierRuleIssues(rules: readonly TierRule[]): string[] {
  const issues: string[] = [];
  const seen = new Set<string>();
  const lastBar = new Map<string, number>();
  for (const rule of rules) {
    const label = `tier ${JSON.stringify(rule.id)}`;
    if (seen.has(rule.id)) issues.push(`${label}: duplicate id`);
    seen.add(rule.id);
    const bar = rule.threshold.kind === "spend_365d" ? rule.threshold.minor : rule.threshold.points;
    if (!isCount(bar)) issues.push(`${label}: threshold must be a non-negative integer`);
    const previous = lastBar.get(rule.threshold.kind);
    if (previous !== undefined && bar < previous) {
      issues.push(`${label}: threshold is lower than the tier before it`);
    }
    lastBar.set(rule.threshold.kind, bar);
    const maintain = maintainThreshold(rule);
    const keep = maintain?.kind === "spend_365d" ? maintain.minor : maintain?.points;
    if (keep !== undefined && (!isCount(keep) || keep > bar)) {
      issues.push(`${label}: maintain threshold must be a non-negative integer not above entry`);
    }
    const stray = rule.threshold.kind === "spend_365d" ? rule.maintainPoints : rule.maintainMinor;
    if (stray !== undefined) issues.push(`${label}: maintain threshold in the wrong unit`);
    if (!Number.isFinite(rule.earnMultiplier) || rule.earnMultiplier <= 0) {
      issues.push(`${label}: earn multiplier must be positive`);
    }
    if (!isCount(rule.entryBonusPoints)) {
      issues.push(`${label}: entry bonus must be a non-negative integer`);
    }
  }
  return issues;
}
