export { catalogRewardType, isDiscountReward, RewardDefinitionSchema } from "./definition";
export type {
  DiscountRewardDefinition,
  RewardDefinition,
  RewardDefinitionInput,
  RewardKind,
} from "./definition";
export { describeValue, quoteRedemption, RewardRuleError } from "./quote";
export type { RedeemingMember, RewardQuote, RewardRefusal } from "./quote";
export { rewardCode } from "./code";
export { minorToDecimalString } from "./money";
