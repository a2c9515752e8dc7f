import { signAppProxyQuery } from "../shopify/signing";

export const PROXY_PREFIX = "/apps/loyalty";

/**
 * Forwards a storefront request under /apps/loyalty/* to the app's /proxy/* as Shopify's App Proxy
 * does: the shopper's query is kept, Shopify adds shop, logged_in_customer_id (empty when signed
 * out), path_prefix and timestamp, and signs them all (sorted key=value pairs joined with nothing,
 * hex HMAC-SHA256 with the app's secret). Cookies are not forwarded; the shopper's address goes in
 * X-Forwarded-For. (https://shopify.dev/docs/apps/build/online-store/app-proxies)
 */
export async function forwardAppProxy(
  request: Request,
  options: {
    appUrl: string;
    shop: string;
    apiSecret: string;
    customerId: number | null;
    clientIp: string;
  },
): Promise<Response> {
  const url = new URL(request.url);
  const rest = url.pathname.slice(PROXY_PREFIX.length);
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    // Repeated keys are joined with "," in the signature (shopify-api's hmac validator).
    params[key] = key in params ? `${params[key]},${value}` : value;
  }
  Object.assign(params, {
    shop: options.shop,
    logged_in_customer_id: options.customerId === null ? "" : String(options.customerId),
    path_prefix: PROXY_PREFIX,
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const query = new URLSearchParams({
    ...params,
    signature: signAppProxyQuery(params, options.apiSecret),
  });
  const headers = new Headers();
  for (const name of ["accept", "content-type", "user-agent", "accept-language"]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  headers.set("x-forwarded-for", options.clientIp);
  const method = request.method;
  const upstream = await fetch(`${options.appUrl}/proxy${rest}?${query}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : await request.arrayBuffer(),
    redirect: "manual",
  });
  const out = new Headers();
  for (const name of ["content-type", "cache-control", "retry-after", "location"]) {
    const value = upstream.headers.get(name);
    if (value) out.set(name, value);
  }
  return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers: out });
}
