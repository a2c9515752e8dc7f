import type { LoaderFunctionArgs } from "@remix-run/node";
import { accountJson, authenticateCustomerAccount } from "~/lib/customer-account-route.server";
import { proxyAnswer } from "~/lib/proxy-route.server";
import { orderPoints } from "~/services/storefront/account.server";
import { storefrontPublicProgram } from "~/services/storefront/member.server";

const ORDER_GID = /^gid:\/\/shopify\/Order\/(\d+)$/;

/**
 * GET /customer-account/order-points?order=gid://shopify/Order/N: the order status block's
 * "You earned N points with this order" (held until a date, or spendable). A guest, who has no
 * account to hold points, gets the program instead, to invite them to create one.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await authenticateCustomerAccount(request);
  return accountJson(context, async () => {
    const order = ORDER_GID.exec(new URL(request.url).searchParams.get("order") ?? "");
    if (!order) throw proxyAnswer(422, "invalid_input", "order: an Order GID is required");
    const now = new Date();
    if (context.customerId === null) {
      const { program } = await storefrontPublicProgram(context.shopId, now);
      return { state: "guest", program };
    }
    return orderPoints(context.shopId, context.customerId, BigInt(order[1]!), now);
  });
};
