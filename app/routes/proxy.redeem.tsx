import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import {
  authenticateProxy,
  ensureShopperIsMember,
  proxyAnswer,
  proxyJson,
  readBody,
} from "~/lib/proxy-route.server";
import { redeemFields } from "~/lib/request-bodies";
import { LoyaltyError } from "~/services/errors";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";

const RedeemBody = z.object({
  ...redeemFields,
  /** Ignored when it matches the signed-in customer; refused otherwise. */
  customer_id: z.string().optional(),
});

/** POST /apps/loyalty/redeem: spends the signed-in customer's points on a reward. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const proxy = await authenticateProxy(request, "write");
  return proxyJson(async () => {
    if (request.method !== "POST") throw proxyAnswer(405, "method_not_allowed", "Use POST");
    if (!proxy.customerId) throw proxyAnswer(401, "sign_in", "Sign in to redeem rewards");
    await ensureShopperIsMember(proxy);
    if (!proxy.api) throw proxyAnswer(503, "shopify_unavailable", "Try again in a moment");
    const body = RedeemBody.parse(await readBody(request));
    if (body.customer_id !== undefined && body.customer_id !== String(proxy.customerId)) {
      throw new LoyaltyError("invalid_input", "Rewards can only be redeemed for your own account");
    }
    return redeemReward(proxy.api, {
      shopId: proxy.shopId,
      customerId: proxy.customerId,
      reward: { handle: body.reward },
      points: body.points,
      requestKey: `proxy:${proxy.customerId}:${body.request_id}`,
      source: "points_redemption",
    });
  });
};
