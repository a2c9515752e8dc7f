import prisma from "~/db.server";
import type { AdminCall } from "~/integrations/shopify/rewards.server";
import { LoyaltyError } from "~/services/errors";
import { unauthenticated } from "~/shopify.server";

/** Background callers (Flow actions, jobs) wait longer for Shopify than a shopper would. */
const BACKGROUND_TIMEOUT_MS = 15_000;

/**
 * The shop's Admin API through its offline session, for work no shopper or staff member is
 * signed in to (Flow actions, jobs). No session (not installed, or uninstalled) is a temporary
 * failure: Flow retries, and the merchant reinstalling fixes it.
 */
export async function offlineAdminCall(shopId: string): Promise<AdminCall> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  try {
    const { admin } = await unauthenticated.admin(shop.domain);
    return { admin, timeoutMs: BACKGROUND_TIMEOUT_MS };
  } catch {
    throw new LoyaltyError("shopify_unavailable", "The app has no access to the store right now");
  }
}
