import prisma from "~/db.server";
import { shopperRefusal } from "~/domain/referrals/shopper";
import { findOrCreateCustomerByEmail } from "~/integrations/shopify/customer.server";
import type { AdminCall } from "~/integrations/shopify/rewards.server";
import { LoyaltyError, ReferralRefused } from "../errors";
import { ensureKnownCustomer } from "../members/on-demand.server";
import { claimReferral } from "./claim.server";
import { referralProgramOf } from "./program.server";

/** Tag on customers the app creates for a friend who claimed with an email (merchant-visible). */
export const REFERRED_BY_EMAIL_TAG = "loyalty-referred-friend";

/**
 * A signed-out friend claims a referral with their email, as Smile lets them: the shop's customer
 * with that email (created without an account when there is none) becomes the friend, and the
 * claim runs with the same rules as a signed-in one — a returning customer, the advocate's own
 * email or a second claim is refused in the same words. The reward is a code bound to that
 * customer, which works at checkout with that email. An unknown code or a closed program is
 * refused before anything is created at Shopify.
 */
export async function claimReferralByEmail(
  api: AdminCall,
  claim: { shopId: string; code: string; email: string },
) {
  const { shopId } = claim;
  const code = claim.code.trim().toUpperCase();
  const [program, owner] = await Promise.all([
    referralProgramOf(prisma, shopId),
    prisma.referralCode.findUnique({ where: { shopId_code: { shopId, code } } }),
  ]);
  if (!program.enabled) {
    throw new ReferralRefused("program_off", shopperRefusal("program_off"), `code ${code}`);
  }
  if (!owner) {
    throw new ReferralRefused("unknown_code", shopperRefusal("unknown_code"), `code ${code}`);
  }
  let friendCustomerId: bigint | null;
  try {
    friendCustomerId = await findOrCreateCustomerByEmail(api.admin, claim.email, [
      REFERRED_BY_EMAIL_TAG,
    ]);
  } catch (error) {
    if (error instanceof LoyaltyError) throw error;
    throw new LoyaltyError("shopify_unavailable", "Try again in a moment");
  }
  if (friendCustomerId === null) {
    throw new LoyaltyError("invalid_input", "Enter a valid email address");
  }
  await ensureKnownCustomer(shopId, friendCustomerId, "storefront", async () => api.admin);
  return claimReferral(api, { shopId, friendCustomerId, code });
}
