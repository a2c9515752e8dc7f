import prisma from "~/db.server";
import type { AdminCall } from "~/integrations/shopify/rewards.server";
import { LoyaltyError } from "../../errors";
import { voidRedemption } from "../redemption/void.server";

export type RevokeReport = { revoked: number; kept: number; waiting: number };

const REASON = "The VIP tier it was given for was undone by a refund or cancellation";

/**
 * Tier entry rewards whose entry a refund or cancellation undid after they were issued
 * (`revoking`, set by tiers/entry-rewards.server.ts): each code is deactivated at Shopify and the
 * reward voided (reward.expired reason voided), then the grant is `revoked`. A code the shopper
 * already used, or a reward Shopify cannot take back (store credit, a gift card), stays theirs:
 * the grant goes back to `issued` with the reason. Shopify unavailable: left `revoking` for the
 * job's retry (voiding twice is harmless).
 */
export async function revokeUndoneGrants(shopId: string, api: AdminCall): Promise<RevokeReport> {
  const report: RevokeReport = { revoked: 0, kept: 0, waiting: 0 };
  const grants = await prisma.rewardGrant.findMany({
    where: { shopId, state: "revoking" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  for (const grant of grants) {
    const outcome = await voidOne(shopId, api, grant.redemptionId);
    if (outcome.kind === "waiting") {
      report.waiting += 1;
      continue;
    }
    await prisma.rewardGrant.updateMany({
      where: { id: grant.id, state: "revoking" },
      data:
        outcome.kind === "revoked"
          ? { state: "revoked", lastError: null }
          : { state: "issued", lastError: `Not withdrawn: ${outcome.reason}` },
    });
    report[outcome.kind] += 1;
  }
  return report;
}

type Outcome = { kind: "revoked" } | { kind: "kept"; reason: string } | { kind: "waiting" };

async function voidOne(shopId: string, api: AdminCall, redemptionId: string | null) {
  if (!redemptionId) return { kind: "revoked" } as Outcome;
  const redemption = await prisma.redemption.findFirst({ where: { id: redemptionId, shopId } });
  // Already ended (expired, voided by staff): nothing is left to take back.
  if (!redemption || redemption.state !== "issued") {
    return redemption?.state === "used"
      ? ({ kind: "kept", reason: "the shopper already used it" } as Outcome)
      : ({ kind: "revoked" } as Outcome);
  }
  try {
    await voidRedemption(api, shopId, redemptionId, REASON);
    return { kind: "revoked" } as Outcome;
  } catch (error) {
    if (error instanceof LoyaltyError && error.code === "shopify_unavailable") {
      return { kind: "waiting" } as Outcome;
    }
    return { kind: "kept", reason: (error as Error).message } as Outcome;
  }
}
