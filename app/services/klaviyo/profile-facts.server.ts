import { referralUrl } from "~/domain/referrals/link";
import type { Member, Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { assessExpiry } from "~/domain/expiry";
import type { ProfileFacts, ReadyReward } from "~/domain/klaviyo";
import type { ProgramConfig } from "~/domain/program";
import { nextTierProgress, tierDropDate, type SpendRecord } from "~/domain/tiers";
import { deriveLots } from "../daily/point-lots";
import type { RewardSnapshot } from "../rewards/redemption/hold.server";
import { spendRecordNow, WINDOW_REACH_MS } from "../tiers/facts.server";

export type ShopContext = {
  shopId: string;
  timeZone: string;
  config: ProgramConfig;
  /** The shop's myshopify domain, for the referral URL (as the storefront's referral endpoint). */
  domain: string;
};

/**
 * Catalog §4's facts for a batch of members with a fixed number of queries (not one per member):
 * their orders in the tier window when tiers go by spend, their ledger when points expire.
 */
export async function profileFactsFor(
  members: Member[],
  shop: ShopContext,
  now: Date,
): Promise<Map<string, ProfileFacts>> {
  const { config } = shop;
  const spend = await spendByCustomer(members, shop, now);
  const lots = await lotsByMember(members, shop);
  const rewards = await rewardsByMember(members, shop);
  const facts = new Map<string, ProfileFacts>();
  const program = { from: null, rules: config.tiers, periodDays: config.tierRules.periodDays };
  for (const member of members) {
    const metrics = {
      spend: spend.get(member.customerId) ?? [],
      lifetimePoints: member.lifetimeEarned,
    };
    const progress = nextTierProgress(config.tiers, member.tierId, metrics, now);
    const expiry =
      config.expiry.kind === "none"
        ? null
        : assessExpiry({
            lots: lots.get(member.id) ?? [],
            lastActivityAt: member.lastActivityAt,
            config: config.expiry,
            now,
            timeZone: shop.timeZone,
          }).next;
    facts.set(member.id, {
      memberSince: member.createdAt,
      accountRegistered: member.accountRegisteredAt !== null,
      pointsBalance: member.pointsBalance,
      lifetimePointsEarned: member.lifetimeEarned,
      lifetimePointsSpent: member.lifetimeSpent,
      tierName: config.tiers.find((t) => t.id === member.tierId)?.name ?? null,
      tierEnteredAt: member.tierEnteredAt,
      tierExpiresAt: tierDropDate({
        state: {
          tierId: member.tierId,
          enteredAt: member.tierEnteredAt,
          expiresAt: member.tierPeriodEndsAt,
          lockedUntil: member.tierLockedUntil,
        },
        program,
        metrics,
        now,
      }),
      tierLockedUntil: member.tierLockedUntil,
      nextTierName: progress?.tier.name ?? null,
      spendToNextTierMinor:
        progress?.remaining.kind === "spend_365d" ? progress.remaining.minor : null,
      pointsExpiry: expiry ? { expiresOn: expiry.expiresOn, points: expiry.points } : null,
      lastActivityAt: member.lastActivityAt,
      birthday: member.birthMonth
        ? { month: member.birthMonth, day: member.birthDay, year: member.birthYear }
        : null,
      referralCode: rewards.codes.get(member.id) ?? null,
      referralUrl: rewards.codes.has(member.id)
        ? referralUrl(shop.domain, rewards.codes.get(member.id)!)
        : null,
      rewardsAvailable: rewards.available.get(member.id) ?? 0,
      readyRewards: rewards.ready.get(member.id) ?? [],
      lastRedeemedAt: rewards.lastRedeemed.get(member.id) ?? null,
      // The mirror of Shopify's store credit balance (ADR 0030); none until the first credit.
      storeCredit: member.storeCreditCurrency
        ? { balanceMinor: member.storeCreditMinor, currency: member.storeCreditCurrency }
        : null,
    });
  }
  return facts;
}

async function spendByCustomer(members: Member[], shop: ShopContext, now: Date) {
  const bySpend = new Map<bigint, SpendRecord[]>();
  if (!shop.config.tiers.some((tier) => tier.threshold.kind === "spend_365d")) return bySpend;
  const orders = await prisma.orderRecord.findMany({
    where: {
      shopId: shop.shopId,
      customerId: { in: members.map((m) => m.customerId) },
      paidAt: { gte: new Date(now.getTime() - WINDOW_REACH_MS) },
    },
    include: { refunds: true },
  });
  for (const order of orders) {
    if (order.customerId === null) continue;
    const record = spendRecordNow(order, now);
    if (!record) continue;
    const list = bySpend.get(order.customerId) ?? [];
    list.push(record);
    bySpend.set(order.customerId, list);
  }
  return bySpend;
}

async function lotsByMember(members: Member[], shop: ShopContext) {
  const byMember = new Map<string, ReturnType<typeof deriveLots>["lots"]>();
  if (shop.config.expiry.kind === "none") return byMember;
  const entries = await prisma.ledgerEntry.findMany({
    where: { shopId: shop.shopId, memberId: { in: members.map((m) => m.id) } },
    select: { id: true, memberId: true, kind: true, points: true, createdAt: true, detail: true },
    orderBy: { createdAt: "asc" },
  });
  const grouped = new Map<string, typeof entries>();
  for (const entry of entries) {
    const list = grouped.get(entry.memberId) ?? [];
    list.push(entry);
    grouped.set(entry.memberId, list);
  }
  for (const [memberId, list] of grouped) byMember.set(memberId, deriveLots(list).lots);
  return byMember;
}

/**
 * Referral codes, unused issued rewards (catalog "rewards available": issued, not used, expired or
 * voided; those with a code listed, soonest to expire first) and the last redemption with points,
 * for a batch of members in four queries.
 */
async function rewardsByMember(members: Member[], shop: ShopContext) {
  const memberIds = members.map((m) => m.id);
  const [codes, available, ready, redeemed] = await Promise.all([
    prisma.referralCode.findMany({
      where: { shopId: shop.shopId, memberId: { in: memberIds } },
      select: { memberId: true, code: true },
    }),
    prisma.redemption.groupBy({
      by: ["memberId"],
      where: { shopId: shop.shopId, memberId: { in: memberIds }, state: "issued" },
      _count: { _all: true },
    }),
    prisma.redemption.findMany({
      where: {
        shopId: shop.shopId,
        memberId: { in: memberIds },
        state: "issued",
        code: { not: null },
      },
      select: { memberId: true, code: true, rewardSnapshot: true, expiresAt: true, issuedAt: true },
      orderBy: [{ expiresAt: { sort: "asc", nulls: "last" } }, { issuedAt: "asc" }],
    }),
    prisma.redemption.groupBy({
      by: ["memberId"],
      where: {
        shopId: shop.shopId,
        memberId: { in: memberIds },
        source: "points_redemption",
        state: { in: ["issued", "used", "expired"] },
      },
      _max: { issuedAt: true },
    }),
  ]);
  return {
    codes: new Map(codes.map((c) => [c.memberId, c.code])),
    available: new Map(available.map((a) => [a.memberId, a._count._all])),
    ready: readyByMember(ready),
    lastRedeemed: new Map(
      redeemed.flatMap((r) => (r._max.issuedAt ? [[r.memberId, r._max.issuedAt] as const] : [])),
    ),
  };
}

type ReadyRow = {
  memberId: string;
  code: string | null;
  rewardSnapshot: Prisma.JsonValue;
  expiresAt: Date | null;
};

function readyByMember(rows: ReadyRow[]): Map<string, ReadyReward[]> {
  const byMember = new Map<string, ReadyReward[]>();
  for (const row of rows) {
    const snapshot = row.rewardSnapshot as unknown as RewardSnapshot;
    const list = byMember.get(row.memberId) ?? [];
    list.push({
      code: row.code!,
      name: snapshot.definition.name,
      valueFormatted: snapshot.valueFormatted,
      expiresAt: row.expiresAt,
    });
    byMember.set(row.memberId, list);
  }
  return byMember;
}
