import prisma from "~/db.server";
import { spendablePoints } from "~/domain/pending/index";
import { ownedCodes, programSummary } from "~/domain/storefront/index";
import { nextTierProgress, nextTierRule } from "~/domain/tiers/index";
import { referralUrl } from "~/domain/referrals/link";
import { storefrontRewards } from "./rewards.server";
import { referralCodeFor } from "../referrals/program.server";
import { storefrontShop, storefrontStanding } from "./reads.server";
import { spendRecordsNow } from "../tiers/facts.server";

/**
 * Everything the storefront widget shows a signed-in customer, in one answer: balance, tier and
 * progress, rewards (each marked available or not, by the same rules redemption uses), the
 * referral link when referrals are on, the birthday, the codes the shopper owns ("My rewards")
 * and the ways to earn.
 */
export async function storefrontMember(
  shopId: string,
  customerId: bigint,
  shopDomain: string,
  now: Date,
) {
  const [shop, standing] = await Promise.all([
    storefrontShop(shopId),
    storefrontStanding(shopId, customerId),
  ]);
  const { config, referrals } = shop;
  const program = programSummary(config, shop.currency, referrals);
  const rewards = storefrontRewards(shop, standing, now);
  if (!standing) return { member: null, program, rewards };

  const { member } = standing;
  // Orders are read only when the next tier is measured in spend (a lifetime-points tier, or the
  // top tier, needs none of them).
  const spend =
    nextTierRule(config.tiers, member.tierId)?.threshold.kind === "spend_365d"
      ? await spendRecordsNow(prisma, member, now)
      : [];
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
  const code = referrals.enabled
    ? (standing.referralCode ?? (await referralCodeFor(shopId, customerId)))
    : null;
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
      referral: code && { code, url: referralUrl(shopDomain, code) },
      codes: ownedCodes(standing.codes, now),
    },
    program,
    rewards,
  };
}

/**
 * What a signed-out shopper sees: the program and the rewards catalog (same for every shopper).
 * Each reward's cost in points, which the widget says in the shopper's language; no server text.
 */
export async function storefrontPublicProgram(shopId: string, now: Date) {
  const shop = await storefrontShop(shopId);
  return {
    program: programSummary(shop.config, shop.currency, shop.referrals),
    rewards: storefrontRewards(shop, null, now).map(({ handle, name, pointsCost, points }) => ({
      handle,
      name,
      pointsCost,
      points,
    })),
  };
}
