import type { LoaderFunctionArgs } from "@remix-run/node";
import { offlineAdminCall } from "~/lib/offline-admin.server";
import { authenticatePos, posCustomerId, posJson } from "~/lib/pos-route.server";
import { ensureKnownCustomer } from "~/services/members/on-demand.server";
import { storefrontMember } from "~/services/storefront/member.server";

/**
 * GET /pos/customer?customer=<id>: the loyalty of the customer attached to the POS cart (points,
 * tier and progress, rewards each marked redeemable or not, codes owned), for the POS tile and
 * modal. A customer the app has not seen yet is read from Shopify and joins.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticatePos(request);
  return posJson(context, async () => {
    const customerId = posCustomerId(new URL(request.url).searchParams.get("customer"));
    // A customer from before the install joins at the till, announced once with source pos.
    await ensureKnownCustomer(context.shopId, customerId, "pos", async () => {
      return (await offlineAdminCall(context.shopId)).admin;
    });
    return storefrontMember(context.shopId, customerId, context.shopDomain, new Date());
  });
};
