import type { RewardDefinition } from "../rewards";

/**
 * Why a catalog reward cannot be granted without points, or null when it can: a disabled reward
 * is refused by the redemption service (quoteRedemption), and pay-with-points has no value until
 * the shopper chooses how many points to spend. The values are copy keys (app/locales/en.json).
 */
export function grantRefusal(reward: RewardDefinition | null): string | null {
  if (!reward) return "campaigns.error.rewardUnknown";
  if (!reward.enabled) return "campaigns.error.rewardDisabled";
  if (reward.type === "pay_with_points") return "campaigns.error.rewardNeedsPoints";
  return null;
}
