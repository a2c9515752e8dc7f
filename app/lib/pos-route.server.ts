import { parseCustomerId } from "~/domain/customers/customer-id";
import type { ProxyBucket } from "~/domain/storefront/rate-limit";
import { countRequestOfInstalledShop } from "~/services/storefront/rate-limit.server";
import { authenticate } from "~/shopify.server";
import { proxyAnswer, proxyJson, rateLimitedAnswer } from "./proxy-route.server";

/**
 * Who is asking from the POS extension: the session token POS signed with the app's secret
 * (authenticate.public.pos) names the shop (`dest`) and the staff member (`sub`). Which staff may
 * open the app at all is the merchant's choice in POS roles; the customer is the one the staff
 * member attached to the cart, named in the request.
 */
export type PosContext = {
  shopId: string;
  shopDomain: string;
  /** The staff member's user id, for the ledger's note of who did it. */
  staffId: string;
  cors: (response: Response) => Response;
};

export async function authenticatePos(
  request: Request,
  bucket: ProxyBucket = "read",
): Promise<PosContext> {
  const { sessionToken, cors } = await authenticate.public.pos(request);
  const shopDomain = sessionToken.dest.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  const staffId = (sessionToken.sub ?? "").replace(/^gid:\/\/shopify\/\w+\//, "");
  if (!/^\d+$/.test(staffId)) {
    throw cors(proxyAnswer(401, "sign_in", "Sign in to POS as a staff member"));
  }
  // Counted per staff member, under a caller key of their own (never a customer's).
  const caller = `pos-staff-${staffId}`;
  const shop = await countRequestOfInstalledShop(shopDomain, bucket, null, caller, new Date());
  if (!shop) throw cors(proxyAnswer(404, "not_installed", "The loyalty program is not available"));
  if (!shop.rate.allowed) {
    throw cors(rateLimitedAnswer(shop.rate.retryAfterSeconds));
  }
  return { shopId: shop.shopId, shopDomain, staffId, cors };
}

/** The POS request's customer: a Shopify customer id, numeric or as a GID. */
export function posCustomerId(value: unknown): bigint {
  const customerId = parseCustomerId(value);
  if (customerId === null)
    throw proxyAnswer(422, "invalid_input", "customer: a Shopify customer id is required");
  return customerId;
}

export async function posJson(context: PosContext, work: () => Promise<unknown>) {
  return context.cors(await proxyJson(work));
}
