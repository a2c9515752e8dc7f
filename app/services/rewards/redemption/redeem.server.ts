import type { Redemption } from "@prisma/client";
import prisma from "~/db.server";
import {
  creationOutcome,
  ShopifyRefusal,
  type AdminCall,
} from "~/integrations/shopify/rewards.server";
import { logger } from "~/lib/logger.server";
import { LoyaltyError } from "../../errors";
import { markIssued, noteHeld, returnPoints } from "./finish.server";
import { holdRedemption, snapshotOf, type RedemptionRequest } from "./hold.server";
import { createShopifyReward, removeShopifyReward } from "./shopify-step.server";

export interface IssuedReward {
  redemptionId: string;
  rewardName: string;
  valueFormatted: string;
  code: string | null;
  pointsSpent: number;
  expiresAt: string | null;
  /** A custom reward's next step for the shopper (the merchant fulfils it); null otherwise. */
  instructions: string | null;
  /** False when this answers a retry of a request that was already issued. */
  fresh: boolean;
}

/**
 * Redeems (or grants) a catalog reward, all or nothing: hold the points, create the Shopify
 * object, commit. When Shopify refuses or fails, the object is made sure not to exist and the
 * points come back; when that cannot be verified yet, the redemption stays held (points neither
 * spent nor returned) for sweepStaleRedemptions. See docs/decisions/0013-redemption-state-machine.md.
 */
export async function redeemReward(
  api: AdminCall,
  request: RedemptionRequest,
  now = new Date(),
): Promise<IssuedReward> {
  const { redemption, fresh } = await holdRedemption(request, now);
  if (!fresh) return answerRetry(redemption);

  let shopifyId: string | null;
  let creditBalanceMinor: number | null;
  try {
    ({ id: shopifyId, creditBalanceMinor } = await createShopifyReward(
      api,
      redemption,
      request.customerId,
      now,
    ));
  } catch (error) {
    throw await undoFailedCreate(api, redemption, error, now);
  }

  let issued = false;
  try {
    issued = await markIssued(redemption, shopifyId, now, creditBalanceMinor);
  } catch (error) {
    logger.error("redemption commit failed after Shopify created the reward", {
      redemptionId: redemption.id,
      error: String(error),
    });
  }
  if (!issued) {
    // The commit failed, or the sweeper reverted this hold meanwhile: the object must go.
    await withdraw(api, redemption, shopifyId, now);
    throw new LoyaltyError(
      "shopify_unavailable",
      "The reward could not be saved. Your points were not spent; please try again.",
    );
  }
  return issuedAnswer(redemption, true);
}

async function undoFailedCreate(
  api: AdminCall,
  redemption: Redemption,
  error: unknown,
  now: Date,
): Promise<LoyaltyError> {
  const reason = error instanceof Error ? error.message : String(error);
  logger.warn("reward not created at Shopify", { redemptionId: redemption.id, reason });
  if (creationOutcome(error) === "not_created") {
    await returnPoints(redemption, { from: "held", to: "reverted", reason }, now);
    return error instanceof ShopifyRefusal
      ? new LoyaltyError(
          "reward_rejected",
          "Shopify could not create this reward. Your points were returned.",
          reason,
        )
      : new LoyaltyError(
          "shopify_unavailable",
          "The store is busy right now. Your points were returned; please try again in a moment.",
        );
  }
  // Timeout, HTTP 5xx or network: the object may exist. Find out before giving points back.
  try {
    const removal = await removeShopifyReward(api, redemption);
    if (removal !== "unverifiable") {
      await returnPoints(redemption, { from: "held", to: "reverted", reason }, now);
      return new LoyaltyError(
        "shopify_unavailable",
        "The store did not answer in time. Your points were returned; please try again.",
      );
    }
  } catch (cleanupError) {
    logger.warn("reward cleanup deferred to the sweeper", {
      redemptionId: redemption.id,
      error: String(cleanupError),
    });
  }
  await noteHeld(redemption, `outcome unknown: ${reason}`);
  return new LoyaltyError(
    "shopify_unavailable",
    "The store did not answer in time. If your reward was not created, your points come back automatically within a few minutes.",
  );
}

/** A reward was created for a redemption that cannot be issued: delete it, then return the points. */
async function withdraw(
  api: AdminCall,
  redemption: Redemption,
  shopifyId: string | null,
  now: Date,
) {
  try {
    const removal = await removeShopifyReward(api, redemption, shopifyId);
    if (removal === "unverifiable") {
      await noteHeld(redemption, `created ${shopifyId} but not committed`);
      return;
    }
    await returnPoints(redemption, { from: "held", to: "reverted", reason: "commit failed" }, now);
  } catch (error) {
    logger.warn("withdrawal deferred to the sweeper", {
      redemptionId: redemption.id,
      error: String(error),
    });
  }
}

async function answerRetry(redemption: Redemption): Promise<IssuedReward> {
  const current = await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
  if (current.state === "held") {
    throw new LoyaltyError(
      "redemption_in_progress",
      "This redemption is still being processed; try again shortly.",
    );
  }
  if (current.state === "reverted") {
    throw new LoyaltyError(
      "reward_rejected",
      "This redemption did not go through and its points were returned.",
    );
  }
  return issuedAnswer(current, false);
}

function issuedAnswer(redemption: Redemption, fresh: boolean): IssuedReward {
  const { definition, valueFormatted } = snapshotOf(redemption);
  return {
    redemptionId: redemption.id,
    rewardName: definition.name,
    valueFormatted,
    code: redemption.code,
    pointsSpent: redemption.pointsSpent,
    expiresAt: redemption.expiresAt?.toISOString() ?? null,
    instructions: definition.type === "custom" ? definition.instructions : null,
    fresh,
  };
}
