import { minorUnitsPerUnit } from "../earning/currency";
import type { RewardDefinition } from "./definition";

/**
 * Why a shopper cannot redeem a reward, for the storefront to say in the shopper's language:
 * `short` is how many more points it takes.
 */
export type RewardRefusal =
  | { why: "disabled" }
  | { why: "tier_only" }
  | { why: "limit_reached" }
  | { why: "more_points"; short: number };

/** Why a member cannot have a reward; the service turns these into LoyaltyErrors. */
export class RewardRuleError extends Error {
  constructor(
    readonly code: "reward_unavailable" | "insufficient_points" | "invalid_input",
    message: string,
    /** Set for the refusals a shopper can be shown (not for bad input). */
    readonly refusal?: RewardRefusal,
  ) {
    super(message);
    this.name = "RewardRuleError";
  }
}

export interface RedeemingMember {
  pointsBalance: number;
  tierId: string | null;
  /** Rewards of this catalog entry the member holds (held, issued or used; not reverted). */
  heldOfThisReward: number;
}

export interface RewardQuote {
  pointsCost: number;
  /** Fixed value in minor units (fixed amount, pay with points, store credit, gift card). */
  valueMinor: number | null;
  /** Whole percent off (percentage rewards; 100 for a free product). */
  valuePercentage: number | null;
  expiresAt: Date | null;
  valueFormatted: string;
}

/**
 * What redeeming (or being granted) `reward` costs and gives, or a RewardRuleError. `points` is
 * the shopper's choice for pay-with-points and must be absent otherwise. A grant (Flow, campaign)
 * costs no points and skips the tier rule, which is about spending points.
 */
export function quoteRedemption(
  reward: RewardDefinition,
  member: RedeemingMember,
  request: { points?: number | null; grant: boolean; currency: string; locale?: string },
  now: Date,
): RewardQuote {
  if (!reward.enabled) {
    throw new RewardRuleError(
      "reward_unavailable",
      `The reward "${reward.name}" is not available`,
      { why: "disabled" },
    );
  }
  if (!request.grant && reward.eligibleTierIds.length > 0) {
    if (!member.tierId || !reward.eligibleTierIds.includes(member.tierId)) {
      throw new RewardRuleError(
        "reward_unavailable",
        `The reward "${reward.name}" is only for members of certain VIP tiers`,
        { why: "tier_only" },
      );
    }
  }
  if (reward.limitPerMember !== null && member.heldOfThisReward >= reward.limitPerMember) {
    throw new RewardRuleError(
      "reward_unavailable",
      `The reward "${reward.name}" can be held ${reward.limitPerMember} time(s) at most`,
      { why: "limit_reached" },
    );
  }
  const { pointsCost, valueMinor } = price(reward, request.points);
  const cost = request.grant ? 0 : pointsCost;
  if (cost > member.pointsBalance) {
    throw new RewardRuleError(
      "insufficient_points",
      `The reward needs ${cost} points; the member has ${Math.max(member.pointsBalance, 0)}`,
      { why: "more_points", short: cost - member.pointsBalance },
    );
  }
  const valuePercentage =
    reward.type === "percentage" ? reward.percentage : reward.type === "free_product" ? 100 : null;
  const days = "codeExpiryDays" in reward ? reward.codeExpiryDays : reward.creditExpiryDays;
  return {
    pointsCost: cost,
    valueMinor,
    valuePercentage,
    expiresAt: days === null ? null : new Date(now.getTime() + days * 86_400_000),
    valueFormatted: describeValue(reward, valueMinor, request.currency, request.locale ?? "en"),
  };
}

function price(reward: RewardDefinition, points: number | null | undefined) {
  if (reward.type !== "pay_with_points") {
    if (points !== undefined && points !== null) {
      throw new RewardRuleError(
        "invalid_input",
        "Only pay-with-points rewards take a points amount",
      );
    }
    const valueMinor = "amountMinor" in reward ? reward.amountMinor : null;
    return { pointsCost: reward.pointsCost, valueMinor };
  }
  if (points === undefined || points === null) {
    throw new RewardRuleError("invalid_input", "Choose how many points to use");
  }
  if (!Number.isSafeInteger(points) || points <= 0) {
    throw new RewardRuleError("invalid_input", "Points must be a whole number above 0");
  }
  if (points < reward.minPoints || points > reward.maxPoints) {
    throw new RewardRuleError(
      "invalid_input",
      `Use between ${reward.minPoints} and ${reward.maxPoints} points`,
    );
  }
  if (points % reward.pointsPerStep !== 0) {
    throw new RewardRuleError(
      "invalid_input",
      `Points must be a multiple of ${reward.pointsPerStep}`,
    );
  }
  return {
    pointsCost: points,
    valueMinor: (points / reward.pointsPerStep) * reward.amountMinorPerStep,
  };
}

/** "$5.00 off", "10% off", "Free shipping" (seed 001's `value`), in the shop's currency. */
export function describeValue(
  reward: RewardDefinition,
  valueMinor: number | null,
  currency: string,
  locale = "en",
): string {
  const money = (minor: number) =>
    new Intl.NumberFormat(locale, { style: "currency", currency }).format(
      minor / minorUnitsPerUnit(currency),
    );
  switch (reward.type) {
    case "percentage":
      return `${reward.percentage}% off`;
    case "free_shipping":
      return "Free shipping";
    case "free_product":
      return "Free product";
    case "store_credit":
      return `${money(valueMinor ?? 0)} store credit`;
    case "gift_card":
      return `${money(valueMinor ?? 0)} gift card`;
    case "custom":
      // What the merchant gives has no amount: its name says it ("Gift wrap").
      return reward.name;
    default:
      return `${money(valueMinor ?? 0)} off`;
  }
}
