import { randomUUID } from "node:crypto";
import prisma from "~/db.server";
import { grantRefusal, SegmentSchema, type Segment } from "~/domain/campaigns/index";
import { queueRewardGrant } from "~/jobs/queues/send.server";
import { programInForce } from "../program/versions.server";
import { listRewards } from "../rewards/catalog.server";
import { grantRequestKey } from "../rewards/grants/issue.server";

// What the campaigns page reads and the retry of a failed grant (ADR 0045).

/**
 * Everything the campaigns page shows: the rewards a campaign can give, the program's tiers, the
 * campaigns with progress, the failed grants, and a fresh request key for the form.
 */
export async function campaignsPage(shopId: string) {
  const [rewards, program, campaigns, failed] = await Promise.all([
    listRewards(shopId, { enabledOnly: true }),
    programInForce(prisma, shopId),
    listCampaigns(shopId),
    failedGrants(shopId),
  ]);
  return {
    requestKey: randomUUID(),
    rewards: rewards
      .filter((r) => grantRefusal(r.definition) === null)
      .map((r) => ({ handle: r.definition.handle, name: r.definition.name })),
    tiers: program.config.tiers.map((tier) => ({ id: tier.id, name: tier.name })),
    campaigns,
    failed,
  };
}

export interface CampaignRow {
  id: string;
  name: string;
  /** A reward campaign's reward (its handle and name); null for a campaign of points. */
  rewardHandle: string | null;
  rewardName: string | null;
  /** A campaign of points: the points each member gets; null for a reward campaign. */
  points: number | null;
  segment: Segment;
  state: string;
  matchedMembers: number | null;
  /** Rewards issued, or members credited with the points. */
  issued: number;
  failed: number;
  pending: number;
  createdAt: string;
  grantedAt: string | null;
}

const LIST_SIZE = 50;

/**
 * The shop's latest campaigns with their progress, counted from their grants; a campaign of
 * points counts its credited members itself (nothing of it can fail or wait on Shopify).
 */
export async function listCampaigns(shopId: string): Promise<CampaignRow[]> {
  const campaigns = await prisma.rewardCampaign.findMany({
    where: { shopId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LIST_SIZE,
  });
  if (campaigns.length === 0) return [];
  const [counts, names] = await Promise.all([
    prisma.rewardGrant.groupBy({
      by: ["campaignId", "state"],
      where: { shopId, campaignId: { in: campaigns.map((c) => c.id) } },
      _count: { _all: true },
    }),
    rewardNames(shopId),
  ]);
  const count = (campaignId: string, state: string) =>
    counts.find((c) => c.campaignId === campaignId && c.state === state)?._count._all ?? 0;
  return campaigns.map((c) => ({
    id: c.id,
    name: c.name,
    rewardHandle: c.rewardHandle,
    rewardName: c.rewardHandle === null ? null : (names.get(c.rewardHandle) ?? c.rewardHandle),
    points: c.points,
    segment: SegmentSchema.parse(c.segment),
    state: c.state,
    matchedMembers: c.matchedMembers,
    ...(c.points === null
      ? {
          issued: count(c.id, "issued"),
          failed: count(c.id, "failed"),
          pending: count(c.id, "pending"),
        }
      : {
          issued: c.creditedMembers,
          failed: 0,
          // The segment's count when crediting started, less those credited since.
          pending:
            c.state === "granting" ? Math.max(0, (c.matchedMembers ?? 0) - c.creditedMembers) : 0,
        }),
    createdAt: c.createdAt.toISOString(),
    grantedAt: c.grantedAt?.toISOString() ?? null,
  }));
}

async function rewardNames(shopId: string) {
  const rows = await prisma.reward.findMany({
    where: { shopId },
    select: { handle: true, name: true },
  });
  return new Map(rows.map((r) => [r.handle, r.name]));
}

export interface FailedGrantRow {
  id: string;
  memberId: string;
  memberName: string;
  occasion: string;
  campaignName: string | null;
  rewardName: string;
  reason: string | null;
  failedAt: string;
}

/** Grants of any occasion that ended `failed`, newest first, with who, what and why. */
export async function failedGrants(shopId: string): Promise<FailedGrantRow[]> {
  const grants = await prisma.rewardGrant.findMany({
    where: { shopId, state: "failed" },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: LIST_SIZE,
  });
  if (grants.length === 0) return [];
  const campaignIds = grants.flatMap((g) => (g.campaignId ? [g.campaignId] : []));
  const [members, campaigns, names] = await Promise.all([
    prisma.member.findMany({
      where: { shopId, id: { in: grants.map((g) => g.memberId) } },
      select: { id: true, firstName: true, lastName: true, email: true, customerId: true },
    }),
    prisma.rewardCampaign.findMany({
      where: { shopId, id: { in: campaignIds } },
      select: { id: true, name: true },
    }),
    rewardNames(shopId),
  ]);
  return grants.map((g) => {
    const member = members.find((m) => m.id === g.memberId);
    const name = [member?.firstName, member?.lastName].filter(Boolean).join(" ");
    return {
      id: g.id,
      memberId: g.memberId,
      memberName: name || member?.email || `#${g.customerId}`,
      occasion: g.occasion,
      campaignName: campaigns.find((c) => c.id === g.campaignId)?.name ?? null,
      rewardName: names.get(g.rewardHandle) ?? g.rewardHandle,
      reason: g.lastError,
      failedAt: g.updatedAt.toISOString(),
    };
  });
}

export type RetryOutcome = "queued" | "already_issued" | "not_failed";

/**
 * Puts a failed grant back in the queue. The reward must never be issued twice, so the grant's
 * current request key decides: a redemption under it that Shopify made (issued, used, expired…)
 * means the reward exists, and the grant is marked issued with it; one still being settled (held)
 * keeps its key; none, or one that was reverted, moves the grant to a fresh key (attempts + 1,
 * as currentRequestKey does). All conditional on the grant still being `failed`.
 */
export async function retryFailedGrant(shopId: string, grantId: string): Promise<RetryOutcome> {
  return prisma.$transaction(async (tx) => {
    const grant = await tx.rewardGrant.findFirst({
      where: { id: grantId, shopId, state: "failed" },
    });
    if (!grant) return "not_failed";
    const previous = await tx.redemption.findUnique({
      where: {
        shopId_requestKey: { shopId, requestKey: grantRequestKey(grant, grant.attempts) },
      },
      select: { id: true, state: true },
    });
    const guard = { id: grant.id, shopId, state: "failed", attempts: grant.attempts };
    const made = previous !== null && previous.state !== "reverted" && previous.state !== "held";
    const { count } = await tx.rewardGrant.updateMany({
      where: guard,
      data: made
        ? { state: "issued", redemptionId: previous.id, lastError: null }
        : {
            state: "pending",
            lastError: null,
            attempts: previous?.state === "held" ? grant.attempts : grant.attempts + 1,
          },
    });
    if (count === 0) return "not_failed";
    // The campaign's state follows its grants again: the issuing job settles it (ADR 0045).
    if (grant.campaignId) {
      await tx.rewardCampaign.updateMany({
        where: { id: grant.campaignId, shopId, state: { in: ["granted", "failed"] } },
        data: { state: "granting" },
      });
    }
    await queueRewardGrant(tx, shopId);
    return made ? "already_issued" : "queued";
  });
}
