import type { AdminGraphql } from "./admin-client.server";

/**
 * The Admin API client of the shop's offline session, for work done outside a merchant's request
 * (webhook jobs). Throws when the shop has no session (yet or any more): the job fails and retries.
 * Imported lazily so code paths that never call Shopify do not construct the Shopify app.
 */
export async function offlineAdmin(shopDomain: string): Promise<AdminGraphql> {
  const { unauthenticated } = await import("~/shopify.server");
  const { admin } = await unauthenticated.admin(shopDomain);
  return admin;
}
