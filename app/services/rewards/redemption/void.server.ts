import prisma from "~/db.server";
import type { RewardKind } from "~/domain/rewards/index";
import { deactivateDiscountCode, type AdminCall } from "~/integrations/shopify/rewards.server";
import { logger } from "~/lib/logger.server";
import { LoyaltyError } from "../../errors";
import { returnPoints } from "./finish.server";
import { snapshotOf } from "./hold.server";

/**
 * The merchant withdraws an unused reward (admin): the code is deactivated at Shopify first, then
 * the points come back (points.added source reward_redemption_reverted) and reward.expired
 * (reason voided) is written. If Shopify cannot deactivate the code, nothing changes and the
 * merchant can try again; deactivating twice is harmless, so a retry after a crash is too. A
 * custom reward exists only in the app, so voiding it is only the second step.
 */
export async function voidRedemption(
  api: AdminCall,
  shopId: string,
  redemptionId: string,
  reason: string,
  now = new Date(),
) {
  const redemption = /^[0-9a-f-]{36}$/i.test(redemptionId)
    ? await prisma.redemption.findFirst({ where: { id: redemptionId, shopId } })
    : null;
  if (!redemption) {
    throw new LoyaltyError("reward_not_found", `There is no issued reward ${redemptionId}`);
  }
  if (redemption.state !== "issued") {
    throw new LoyaltyError(
      "invalid_input",
      `Only an unused reward can be voided; this one is ${redemption.state}`,
    );
  }
  const { definition } = snapshotOf(redemption);
  if (definition.type !== "custom") {
    await deactivateAtShopify(api, redemption.id, definition.type, redemption.shopifyId);
  }
  const voided = await returnPoints(redemption, { from: "issued", to: "voided", reason }, now);
  if (!voided) {
    // Used between our read and the update (orders/paid, or a custom reward marked fulfilled).
    throw new LoyaltyError("invalid_input", "The reward was used meanwhile and cannot be voided");
  }
  return { pointsReturned: redemption.pointsSpent };
}

async function deactivateAtShopify(
  api: AdminCall,
  redemptionId: string,
  type: RewardKind,
  shopifyId: string | null,
) {
  // Store credit and gift cards are money already in the customer's hands.
  if (type === "store_credit" || type === "gift_card" || !shopifyId) {
    throw new LoyaltyError("invalid_input", "Only discount code rewards can be voided");
  }
  try {
    await deactivateDiscountCode(api, shopifyId);
  } catch (error) {
    logger.warn("reward code not deactivated", { redemptionId, error: String(error) });
    throw new LoyaltyError(
      "shopify_unavailable",
      "Shopify could not deactivate the code; nothing was changed. Try again.",
    );
  }
}
