import type { RewardGrant } from "@prisma/client";
import prisma from "~/db.server";
import type { AdminCall } from "~/integrations/shopify/rewards.server";
import { LoyaltyError } from "../../errors";
import { redeemReward } from "../redemption/redeem.server";
import { recordFollowUp } from "./follow-up.server";
import type { GrantOccasion } from "./record.server";

export interface GrantReport {
  issued: number;
  failed: number;
  /** Shopify unavailable: left pending for the job's retry. */
  waiting: number;
  /** The time budget ran out with grants not looked at yet: the caller queues another run. */
  more: boolean;
}

export interface IssueOptions {
  /** Grants read per page. */
  pageSize?: number;
  /** Pages are read until one is short or this many ms passed (a campaign can owe thousands). */
  budgetMs?: number;
  clock?: () => number;
}

/**
 * Issues the shop's pending grants through the redemption service, outside any points
 * transaction: 0 points, source = the occasion, request key = the grant's key, so a retry after
 * a crash answers with the reward already issued instead of issuing another. A reward the
 * merchant removed or disabled, or one Shopify refuses, ends `failed` with the reason.
 *
 * Pages follow (createdAt, id) forward, so a grant left pending (Shopify unavailable) is tried
 * once per run, not again on the next page.
 */
export async function issuePendingGrants(
  shopId: string,
  api: AdminCall,
  options: IssueOptions = {},
): Promise<GrantReport> {
  const { pageSize = 100, budgetMs = 60_000, clock = Date.now } = options;
  const deadline = clock() + budgetMs;
  const report: GrantReport = { issued: 0, failed: 0, waiting: 0, more: false };
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const grants: RewardGrant[] = await prisma.rewardGrant.findMany({
      where: {
        shopId,
        state: "pending",
        ...(after
          ? {
              OR: [
                { createdAt: { gt: after.createdAt } },
                { createdAt: after.createdAt, id: { gt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: pageSize,
    });
    for (const grant of grants) await issueOne(shopId, api, grant, report);
    const last = grants[grants.length - 1];
    if (!last || grants.length < pageSize) return report;
    if (clock() >= deadline) {
      report.more = true;
      return report;
    }
    after = { createdAt: last.createdAt, id: last.id };
  }
}

async function issueOne(shopId: string, api: AdminCall, grant: RewardGrant, report: GrantReport) {
  try {
    const requestKey = await currentRequestKey(grant);
    const reward = await redeemReward(api, {
      shopId,
      customerId: grant.customerId,
      reward: { handle: grant.rewardHandle },
      requestKey,
      source: grant.occasion as GrantOccasion,
    });
    await prisma.$transaction(async (tx) => {
      const { count } = await tx.rewardGrant.updateMany({
        where: { id: grant.id, state: "pending" },
        data: { state: "issued", redemptionId: reward.redemptionId, lastError: null },
      });
      // The move to issued happens once: so does the occasion's event that waited for the reward.
      if (count === 1) await recordFollowUp(tx, grant, reward);
    });
    report.issued += 1;
  } catch (error) {
    // Shopify unavailable, or the outcome is still being settled (held): try again later.
    // Anything else (unknown or disabled reward, Shopify's refusal) would fail again.
    const retry =
      !(error instanceof LoyaltyError) ||
      error.code === "shopify_unavailable" ||
      error.code === "redemption_in_progress";
    await prisma.$transaction(async (tx) => {
      const { count } = await tx.rewardGrant.updateMany({
        where: { id: grant.id, state: "pending" },
        data: {
          state: retry ? "pending" : "failed",
          lastError: grantFailureReason(error),
        },
      });
      // The occasion happened without its reward: its event says so (no reward) rather than wait.
      if (count === 1 && !retry) await recordFollowUp(tx, grant, null);
    });
    if (retry) report.waiting += 1;
    else report.failed += 1;
  }
}

/** The reason the merchant sees: Shopify's own words where it refused, not the shopper's copy. */
function grantFailureReason(error: unknown): string {
  if (error instanceof LoyaltyError && error.detail) return `Shopify refused: ${error.detail}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The request key of the grant's next try. A redemption under the current key that was reverted
 * (Shopify never made the reward, the points — none — were "returned") cannot be retried under
 * that key, so the grant moves to a new one (`attempts` counts them); any other state of it (held:
 * being settled; issued) is answered by redeemReward under the same key, so a reward Shopify made
 * is never made twice.
 */
async function currentRequestKey(grant: RewardGrant): Promise<string> {
  const keyOf = (attempts: number) => grantRequestKey(grant, attempts);
  const previous = await prisma.redemption.findUnique({
    where: { shopId_requestKey: { shopId: grant.shopId, requestKey: keyOf(grant.attempts) } },
    select: { state: true },
  });
  if (previous?.state !== "reverted") return keyOf(grant.attempts);
  const { count } = await prisma.rewardGrant.updateMany({
    where: { id: grant.id, state: "pending", attempts: grant.attempts },
    data: { attempts: grant.attempts + 1 },
  });
  // Another run moved it on meanwhile: it owns the next key; this run leaves the grant alone.
  if (count === 0) throw new LoyaltyError("redemption_in_progress", "grant taken by another run");
  return keyOf(grant.attempts + 1);
}

/** The redemption request key of a grant's try number `attempts` (0 = its first). */
export function grantRequestKey(grant: Pick<RewardGrant, "idempotencyKey">, attempts: number) {
  return attempts === 0 ? grant.idempotencyKey : `${grant.idempotencyKey}:retry:${attempts}`;
}

/**
 * Shops with grants still pending, or still to be withdrawn, after `olderThanMs` (their job gave
 * up or never ran).
 */
export async function shopsWithStalePendingGrants(now = new Date(), olderThanMs = 10 * 60_000) {
  const rows = await prisma.rewardGrant.findMany({
    where: {
      state: { in: ["pending", "revoking"] },
      createdAt: { lt: new Date(now.getTime() - olderThanMs) },
    },
    distinct: ["shopId"],
    select: { shopId: true },
  });
  return rows.map((r) => r.shopId);
}
