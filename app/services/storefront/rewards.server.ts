import {
  quoteRedemption,
  RewardRuleError,
  type RewardDefinition,
  type RewardRefusal,
} from "~/domain/rewards/index";
import {
  storefrontShop,
  storefrontStanding,
  type StorefrontShop,
  type StorefrontStanding,
} from "./reads.server";

export interface StorefrontReward {
  handle: string;
  name: string;
  type: RewardDefinition["type"];
  /** Fixed cost; null for pay-with-points, which has `points` instead. */
  pointsCost: number | null;
  points: { min: number; max: number; step: number; amountMinorPerStep: number } | null;
  valueFormatted: string;
  /** Can this member redeem it now? `why` says why not, in words the widget translates. */
  available: boolean;
  why: RewardRefusal["why"] | "sign_in" | null;
  /** With `why: "more_points"`: how many more points it takes. */
  short: number | null;
}

/**
 * The shop's enabled rewards as the storefront widget shows them, cheapest first, each checked against the
 * member's balance, tier and limits with the same rules redemption uses. A signed-out visitor
 * (or a customer who is not a member yet) sees them all as not available.
 */
export async function rewardsForCustomer(shopId: string, customerId: bigint | null, now: Date) {
  const [shop, standing] = await Promise.all([
    storefrontShop(shopId),
    customerId === null ? null : storefrontStanding(shopId, customerId),
  ]);
  const member = standing?.member ?? null;
  return {
    signedIn: customerId !== null,
    member: member && { pointsBalance: member.pointsBalance, tierId: member.tierId },
    rewards: storefrontRewards(shop, standing, now),
  };
}

/** The catalog for one shopper (null: signed out or not a member), without reading anything. */
export function storefrontRewards(
  shop: Pick<StorefrontShop, "currency" | "rewards">,
  standing: StorefrontStanding | null,
  now: Date,
): StorefrontReward[] {
  const member = standing?.member ?? null;
  const rewards = shop.rewards.map(({ id, definition }): StorefrontReward => {
    const payWithPoints = definition.type === "pay_with_points" ? definition : null;
    const base = {
      handle: definition.handle,
      name: definition.name,
      type: definition.type,
      pointsCost: payWithPoints ? null : (definition as { pointsCost: number }).pointsCost,
      points: payWithPoints && {
        min: payWithPoints.minPoints,
        max: payWithPoints.maxPoints,
        step: payWithPoints.pointsPerStep,
        amountMinorPerStep: payWithPoints.amountMinorPerStep,
      },
    };
    const request = { points: payWithPoints?.minPoints, grant: false, currency: shop.currency };
    const quoteStanding = {
      pointsBalance: member?.pointsBalance ?? 0,
      tierId: member?.tierId ?? null,
      heldOfThisReward: standing?.holdingByReward[id] ?? 0,
    };
    try {
      const quote = quoteRedemption(definition, quoteStanding, request, now);
      if (member === null) {
        return {
          ...base,
          valueFormatted: quote.valueFormatted,
          available: false,
          why: "sign_in",
          short: null,
        };
      }
      return {
        ...base,
        valueFormatted: quote.valueFormatted,
        available: true,
        why: null,
        short: null,
      };
    } catch (error) {
      if (!(error instanceof RewardRuleError) || !error.refusal) throw error;
      const quote = quoteRedemption(definition, quoteStanding, { ...request, grant: true }, now);
      const refusal = error.refusal;
      return {
        ...base,
        valueFormatted: quote.valueFormatted,
        available: false,
        // Signed out, a shortfall is only the empty balance: what is missing is an account.
        why: member === null ? "sign_in" : refusal.why,
        short: member !== null && refusal.why === "more_points" ? refusal.short : null,
      };
    }
  });
  // Cheapest first, as a shopper scans a price list; sort is stable, so equal costs keep the
  // catalog's order.
  const cost = (r: StorefrontReward) => r.pointsCost ?? r.points?.min ?? 0;
  return rewards.sort((a, b) => cost(a) - cost(b));
}
