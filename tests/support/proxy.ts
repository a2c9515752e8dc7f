import type { LoaderFunctionArgs } from "@remix-run/node";
import { signAppProxyQuery } from "../../sandbox/shopify/signing";
import { API_SECRET, APP_URL, TEST_SHOP } from "./webhooks";

type Route = (args: LoaderFunctionArgs) => Promise<Response>;

/**
 * A storefront request as Shopify's App Proxy forwards it: signed query, the signed-in customer
 * (an empty `logged_in_customer_id` when signed out, as Shopify sends it), extra query params.
 */
export function proxyRequest(
  path: string,
  customerId: string | number | bigint | null,
  init: RequestInit & { query?: Record<string, string> } = {},
) {
  const params = {
    shop: TEST_SHOP,
    logged_in_customer_id: customerId === null ? "" : String(customerId),
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
    ...init.query,
  };
  const query = new URLSearchParams({
    ...params,
    signature: signAppProxyQuery(params, API_SECRET),
  });
  return new Request(`${APP_URL}/proxy/${path}?${query}`, init);
}

/** A JSON POST through the proxy. */
export const proxyPost = (
  path: string,
  customerId: string | number | bigint | null,
  body: unknown,
) =>
  proxyRequest(path, customerId, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** Runs a route and returns its answer, thrown or returned, with the JSON body. */
export async function callProxy<T = Record<string, unknown>>(route: Route, request: Request) {
  let response: Response;
  try {
    response = await route({ request, params: {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}
