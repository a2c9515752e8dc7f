import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import {
  accountJson,
  authenticateCustomerAccount,
  withAdmin,
} from "~/lib/customer-account-route.server";
import { ensureShopperIsMember, proxyAnswer, readBody } from "~/lib/proxy-route.server";
import { redeemFields } from "~/lib/request-bodies";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";

const RedeemBody = z.object(redeemFields);

/**
 * POST /customer-account/redeem: the Rewards page spends the signed-in customer's points, with
 * the storefront's all-or-nothing redemption. The request key is the customer's and the click's,
 * so a resent click is one redemption.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const authenticated = await authenticateCustomerAccount(request, "write");
  return accountJson(authenticated, async () => {
    if (request.method !== "POST") throw proxyAnswer(405, "method_not_allowed", "Use POST");
    const { shopId, customerId } = authenticated;
    if (customerId === null) throw proxyAnswer(401, "sign_in", "Sign in to redeem rewards");
    const body = RedeemBody.parse(await readBody(request));
    const context = await withAdmin(authenticated);
    await ensureShopperIsMember(context);
    if (!context.api) throw proxyAnswer(503, "shopify_unavailable", "Try again in a moment");
    return redeemReward(context.api, {
      shopId,
      customerId,
      reward: { handle: body.reward },
      points: body.points,
      requestKey: `account:${customerId}:${body.request_id}`,
      source: "points_redemption",
    });
  });
};
