import prisma from "~/db.server";
import { spendablePoints } from "~/domain/pending";
import { ReferralProgramSchema } from "~/domain/referrals/rules";
import { nextTierProgress } from "~/domain/tiers";
import { programInForce } from "./program.server";
import { rewardsForCustomer } from "./redemption/storefront.server";
import { referralCodeFor } from "./referrals.server";
import { storefrontProgram } from "./storefront-program.server";
import { spendHistory } from "./tiers.server";

/**
 * Everything the storefront widget shows a signed-in customer, in one answer: balance, tier and
 * progress, rewards (each marked available or not, by the same rules redemption uses), the
 * referral link when referrals are on, the birthday, and the ways to earn.
 */
export async function storefrontMember(
  shopId: string,
  customerId: bigint,
  shopDomain: string,
  now: Date,
) {
  const member = await prisma.member.findFirst({
    where: { shopId, customerId, status: "active" },
  });
  const [program, rewards] = await Promise.all([
    storefrontProgram(prisma, shopId),
    rewardsForCustomer(shopId, customerId, now),
  ]);
  if (!member) return { member: null, program, rewards: rewards.rewards };

  const [{ config }, referralRow, spend] = await Promise.all([
    programInForce(prisma, shopId),
    prisma.referralProgram.findUnique({ where: { shopId } }),
    spendHistory(prisma, member, now),
  ]);
  const tier = config.tiers.find((t) => t.id === member.tierId) ?? null;
  const progress = nextTierProgress(
    config.tiers,
    member.tierId,
    { spend, lifetimePoints: member.lifetimeEarned },
    now,
  );
  const next = progress && {
    name: progress.tier.name,
    unit: progress.remaining.kind === "spend_365d" ? ("money" as const) : ("points" as const),
    target:
      progress.tier.threshold.kind === "spend_365d"
        ? progress.tier.threshold.minor
        : progress.tier.threshold.points,
    remaining:
      progress.remaining.kind === "spend_365d"
        ? progress.remaining.minor
        : progress.remaining.points,
  };
  const referrals = ReferralProgramSchema.parse(referralRow?.config ?? {});
  const code = referrals.enabled ? await referralCodeFor(shopId, customerId) : null;
  return {
    member: {
      pointsBalance: member.pointsBalance,
      availablePoints: spendablePoints(member.pointsBalance, member.pendingPoints),
      pendingPoints: member.pendingPoints,
      tier: tier && { name: tier.name },
      next: next && {
        ...next,
        percent:
          next.target === 0
            ? 100
            : Math.floor((100 * (next.target - next.remaining)) / next.target),
      },
      birthday: member.birthMonth ? { month: member.birthMonth, day: member.birthDay } : null,
      referral: code && { code, url: `https://${shopDomain}/?ref=${encodeURIComponent(code)}` },
    },
    program,
    rewards: rewards.rewards,
  };
}

/** What a signed-out shopper sees: the program and the rewards catalog (same for every shopper). */
export async function storefrontPublicProgram(shopId: string, now: Date) {
  const [program, rewards] = await Promise.all([
    storefrontProgram(prisma, shopId),
    rewardsForCustomer(shopId, null, now),
  ]);
  return {
    program,
    rewards: rewards.rewards.map(({ handle, name, pointsCost, points, valueFormatted }) => ({
      handle,
      name,
      pointsCost,
      points,
      valueFormatted,
    })),
  };
}
