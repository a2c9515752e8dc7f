import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticateProxy, proxyAnswer, proxyJson, readBody } from "~/lib/proxy-route.server";
import { referralUrl } from "~/services/klaviyo/profile-facts.server";
import { claimReferral, referralCodeFor } from "~/services/referrals.server";

/** GET /apps/loyalty/referral: the signed-in member's referral code and the link to share. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = await authenticateProxy(request);
  return proxyJson(async () => {
    if (!proxy.customerId) throw proxyAnswer(401, "sign_in", "Sign in to refer friends");
    const code = await referralCodeFor(proxy.shopId, proxy.customerId);
    const shop = new URL(request.url).searchParams.get("shop") ?? "";
    return { code, url: referralUrl(shop, code) };
  });
};

const ClaimBody = z.object({ code: z.string().trim().min(4).max(40) });

/** POST /apps/loyalty/referral: the signed-in friend claims a code (fraud rules apply). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const proxy = await authenticateProxy(request, "write");
  return proxyJson(async () => {
    if (!proxy.customerId) throw proxyAnswer(401, "sign_in", "Sign in to claim your reward");
    if (!proxy.api) throw proxyAnswer(503, "shopify_unavailable", "Try again in a moment");
    const { code } = ClaimBody.parse(await readBody(request));
    return claimReferral(proxy.api, {
      shopId: proxy.shopId,
      friendCustomerId: proxy.customerId,
      code,
    });
  });
};
