export {
  AdminEarningConfigSchema,
  BonusConfigSchema,
  CONFIG_VERSION,
  DEFAULT_PROGRAM_CONFIG,
  EarningConfigSchema,
  ExpiryConfigSchema,
  PendingConfigSchema,
  ProgramConfigSchema,
  RefundPolicySchema,
  StoreCreditConfigSchema,
  RoundingModeSchema,
  TierRulesSchema,
} from "./config";
export type {
  EarningConfig,
  ExpiryConfig,
  ProgramConfig,
  ProgramConfigInput,
  RoundingMode,
  StoreCreditConfig,
} from "./config";
export {
  CustomActionListSchema,
  CustomActionSchema,
  findCustomAction,
  MAX_CUSTOM_ACTIONS,
} from "./custom-actions";
export type { CustomAction } from "./custom-actions";
export { GoalListSchema, GoalSchema, MAX_GOALS } from "./goals";
export type { Goal, GoalKind } from "./goals";
export { TierListSchema, TierSchema, TierThresholdSchema } from "./tiers";
export type { Tier, TierThreshold, TierThresholdKind } from "./tiers";
export { CONFIG_AREAS, describeConfigChange } from "./change";
export type { ConfigArea } from "./change";
export { hasAtMostTwoDecimals, toHundredths } from "./decimal";
