import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  authenticateProxy,
  ensureShopperIsMember,
  proxyAnswer,
  proxyJson,
} from "~/lib/proxy-route.server";
import { storefrontMember } from "~/services/storefront/member.server";

/**
 * GET /apps/loyalty/member: the storefront widget's data for the signed-in customer (balance, tier,
 * progress, rewards, referral link, birthday, ways to earn). Private: never cached.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = await authenticateProxy(request);
  return proxyJson(async () => {
    if (!proxy.customerId) throw proxyAnswer(401, "sign_in", "Sign in to see your points");
    const shop = new URL(request.url).searchParams.get("shop") ?? "";
    const answer = await storefrontMember(proxy.shopId, proxy.customerId, shop, new Date());
    if (answer.member) return answer;
    // A customer from before the install: read from Shopify, joined, then answered.
    await ensureShopperIsMember(proxy);
    return storefrontMember(proxy.shopId, proxy.customerId, shop, new Date());
  });
};
