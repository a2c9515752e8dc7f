// VIP tiers: the timeline derived from the facts (ADR 0054), evaluation (upgrade / extend /
// downgrade / assign), manual assignment with locks,
// entry bonuses and progress to the next tier. Pure: `now` and the spend history are inputs.
export type {
  MemberTierState,
  SpendRecord,
  TierChange,
  TierChangeKind,
  TierEntryBonus,
  TierEvaluation,
  TierMetrics,
  TierRule,
  TierThreshold,
} from "./types";
export type { EvaluateTierInput } from "./evaluate";
export type { AssignTierInput } from "./manual";
export type { NextTierProgress, TierMeasures } from "./measure";
export { evaluateTier } from "./evaluate";
export { assignTierManually, tierEntryBonusKey } from "./manual";
export {
  earnMultiplierFor,
  keepsTier,
  maintainThreshold,
  meetsThreshold,
  nextTierProgress,
  nextTierRule,
  spendInWindow,
  DEFAULT_TIER_PERIOD_DAYS,
  SPEND_WINDOW_DAYS,
  tierPeriodMs,
} from "./measure";
export { tierRuleIssues } from "./rules";
export type {
  OrderSpend,
  ProgramPeriod,
  TierAssignment,
  TierChangeReason,
  TierCheckpoint,
  EntryEvent,
  TierEntry,
  Timeline,
  TimelineChange,
  TimelineInput,
} from "./timeline";
export { deriveTierTimeline, keptGoodsMinor, spendAt } from "./timeline";
export { tierDropDate } from "./drop-date";
