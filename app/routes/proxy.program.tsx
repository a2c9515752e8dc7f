import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateProxy, proxyJson, PUBLIC_CACHE } from "~/lib/proxy-route.server";
import { storefrontPublicProgram } from "~/services/storefront/member.server";

/**
 * GET /apps/loyalty/program: the program and rewards catalog, the same for every shopper of the
 * shop (nothing depends on who asks), so browsers and shared caches may keep it for 5 minutes.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = await authenticateProxy(request);
  return proxyJson(() => storefrontPublicProgram(proxy.shopId, new Date()), PUBLIC_CACHE);
};
