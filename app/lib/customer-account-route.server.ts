import type { ProxyBucket } from "~/domain/storefront/rate-limit";
import { LoyaltyError } from "~/services/errors";
import { countRequestOfInstalledShop } from "~/services/storefront/rate-limit.server";
import { authenticate } from "~/shopify.server";
import { offlineAdminCall } from "./offline-admin.server";
import { proxyAnswer, proxyJson, rateLimitedAnswer, type ProxyContext } from "./proxy-route.server";

/**
 * Who is asking from a customer account, order status or thank-you extension: the session token
 * Shopify signed with the app's secret (authenticate.public.customerAccount: signature, expiry
 * and the shop in `dest`) names the shop, and its `sub` the signed-in customer (absent for a
 * guest). Never a customer id from the body or the query.
 */
export type CustomerAccountContext = ProxyContext & {
  shopDomain: string;
  cors: (response: Response) => Response;
};

const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/(\d+)$/;

export async function authenticateCustomerAccount(
  request: Request,
  bucket: ProxyBucket = "read",
): Promise<CustomerAccountContext> {
  const { sessionToken, cors } = await authenticate.public.customerAccount(request);
  // `dest` is the shop's domain, with or without a scheme depending on the surface.
  const shopDomain = sessionToken.dest.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  const match = CUSTOMER_GID.exec(sessionToken.sub ?? "");
  const customerId = match ? BigInt(match[1]!) : null;
  // Same buckets as the App Proxy: one shopper's storefront and account share the allowance.
  const shop = await countRequestOfInstalledShop(
    shopDomain,
    bucket,
    customerId,
    "customer-account",
    new Date(),
  );
  if (!shop) throw cors(proxyAnswer(404, "not_installed", "The loyalty program is not available"));
  if (!shop.rate.allowed) {
    throw cors(rateLimitedAnswer(shop.rate.retryAfterSeconds));
  }
  // The Admin API is loaded only by the routes that need Shopify (withAdmin): reads do not.
  return { shopId: shop.shopId, shopDomain, customerId, api: null, cors };
}

/**
 * The context with the shop's Admin API, for what needs Shopify (a redemption, a customer from
 * before the install); null when the app has no access right now (answered 503 by the caller).
 */
export async function withAdmin(context: CustomerAccountContext): Promise<CustomerAccountContext> {
  try {
    return { ...context, api: await offlineAdminCall(context.shopId) };
  } catch (error) {
    if (error instanceof LoyaltyError) return context;
    throw error;
  }
}

/** proxyJson's answers (errors mapped to JSON 4xx/503), with the extension's CORS headers. */
export async function accountJson(context: CustomerAccountContext, work: () => Promise<unknown>) {
  return context.cors(await proxyJson(work));
}
