import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { SOCIAL_NETWORKS } from "~/domain/earning-actions";
import {
  authenticateProxy,
  ensureShopperIsMember,
  proxyAnswer,
  proxyJson,
  readBody,
} from "~/lib/proxy-route.server";
import { requestIdField } from "~/lib/request-bodies";
import { creditSocialFollow } from "~/services/earning-actions/social-follow.server";

const FollowBody = z.object({
  network: z.enum(SOCIAL_NETWORKS, { error: "network: instagram, tiktok, facebook or x" }),
  request_id: requestIdField,
});

/**
 * POST /apps/loyalty/follow { network, request_id }: the signed-in shopper followed the shop on a
 * network from the widget (honour-based); the points once per network per member (issue #23).
 * 409 limit_reached when already credited; 422 for a network the shop has not switched on.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const proxy = await authenticateProxy(request, "write");
  return proxyJson(async () => {
    if (request.method !== "POST") throw proxyAnswer(405, "method_not_allowed", "Use POST");
    if (!proxy.customerId) throw proxyAnswer(401, "sign_in", "Sign in to earn points");
    const body = FollowBody.parse(await readBody(request));
    await ensureShopperIsMember(proxy);
    return creditSocialFollow({
      shopId: proxy.shopId,
      customerId: proxy.customerId,
      network: body.network,
      requestId: body.request_id,
    });
  });
};
