import prisma from "~/db.server";
import { quoteRedemption, RewardRuleError, type RewardDefinition } from "~/domain/rewards";
import { listRewards } from "../reward-catalog.server";
import { HOLDING_STATES } from "./hold.server";

export interface StorefrontReward {
  handle: string;
  name: string;
  type: RewardDefinition["type"];
  /** Fixed cost; null for pay-with-points, which has `points` instead. */
  pointsCost: number | null;
  points: { min: number; max: number; step: number; amountMinorPerStep: number } | null;
  valueFormatted: string;
  /** Can this member redeem it now? `reason` says why not. */
  available: boolean;
  reason: string | null;
}

/**
 * The shop's enabled rewards as the storefront widget shows them, each checked against the
 * member's balance, tier and limits with the same rules redemption uses. A signed-out visitor
 * (or a customer who is not a member yet) sees them all as not available.
 */
export async function rewardsForCustomer(shopId: string, customerId: bigint | null, now: Date) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  const member = customerId
    ? await prisma.member.findFirst({ where: { shopId, customerId, status: "active" } })
    : null;
  const holding = member
    ? await prisma.redemption.groupBy({
        by: ["rewardId"],
        where: { shopId, memberId: member.id, state: { in: HOLDING_STATES } },
        _count: true,
      })
    : [];
  const rewards = await listRewards(shopId, { enabledOnly: true });
  const list: StorefrontReward[] = rewards.map(({ id, definition }) => {
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
    const standing = {
      pointsBalance: member?.pointsBalance ?? 0,
      tierId: member?.tierId ?? null,
      heldOfThisReward: holding.find((h) => h.rewardId === id)?._count ?? 0,
    };
    try {
      const quote = quoteRedemption(definition, standing, request, now);
      const available = member !== null;
      const reason = available ? null : "Sign in and join the program to redeem rewards";
      return { ...base, valueFormatted: quote.valueFormatted, available, reason };
    } catch (error) {
      if (!(error instanceof RewardRuleError)) throw error;
      const quote = quoteRedemption(definition, standing, { ...request, grant: true }, now);
      return {
        ...base,
        valueFormatted: quote.valueFormatted,
        available: false,
        reason: error.message,
      };
    }
  });
  return {
    signedIn: customerId !== null,
    member: member && { pointsBalance: member.pointsBalance, tierId: member.tierId },
    rewards: list,
  };
}
