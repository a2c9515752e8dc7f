import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateProxy, proxyJson } from "~/lib/proxy-route.server";
import { rewardsForCustomer } from "~/services/storefront/rewards.server";

/** GET /apps/loyalty/rewards: the shop's rewards, each marked available or not for the signed-in customer. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = await authenticateProxy(request);
  return proxyJson(() => rewardsForCustomer(proxy.shopId, proxy.customerId, new Date()));
};
