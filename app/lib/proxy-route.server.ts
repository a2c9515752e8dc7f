import { ZodError } from "zod";
import type { AdminCall } from "~/integrations/shopify/rewards.server";
import { clientIp, type ProxyBucket } from "~/domain/storefront/rate-limit";
import { LOYALTY_ERROR_STATUS, LoyaltyError, ReferralRefused } from "~/services/errors";
import { countRequestOfInstalledShop } from "~/services/storefront/rate-limit.server";
import { ensureKnownCustomer } from "~/services/members/on-demand.server";
import { authenticate } from "~/shopify.server";
import { logger } from "./logger.server";

/** How long the storefront waits for Shopify before the redemption is settled as "unknown". */
const SHOPIFY_TIMEOUT_MS = 8000;

export interface ProxyContext {
  shopId: string;
  /** Only from the signed `logged_in_customer_id`: never from the body or an unsigned param. */
  customerId: bigint | null;
  api: AdminCall | null;
}

/**
 * Verifies an App Proxy request (authenticate.public.appProxy: signature and 90 s timestamp, or
 * a 400) and returns who is asking. The shop must be installed (an offline session exists).
 */
export async function authenticateProxy(
  request: Request,
  bucket: ProxyBucket = "read",
): Promise<ProxyContext> {
  const { session, admin } = await authenticate.public.appProxy(request);
  if (!session) throw proxyAnswer(404, "not_installed", "The loyalty program is not available");
  const signedCustomer = new URL(request.url).searchParams.get("logged_in_customer_id");
  const customerId = signedCustomer && /^\d+$/.test(signedCustomer) ? BigInt(signedCustomer) : null;
  // Counted only after the signature checked out, so forged requests cannot fill the counters.
  const ip = clientIp(request.headers.get("x-forwarded-for"));
  const shop = await countRequestOfInstalledShop(session.shop, bucket, customerId, ip, new Date());
  if (!shop) throw proxyAnswer(404, "not_installed", "The loyalty program is not available");
  if (!shop.rate.allowed) {
    throw rateLimitedAnswer(shop.rate.retryAfterSeconds);
  }
  return {
    shopId: shop.shopId,
    customerId,
    api: admin ? { admin, timeoutMs: SHOPIFY_TIMEOUT_MS } : null,
  };
}

/**
 * The signed-in shopper as a member: a customer from before the install (or whose webhook is on
 * its way) is read from Shopify and joins now, announced once with source `storefront`.
 */
export async function ensureShopperIsMember(proxy: ProxyContext) {
  if (!proxy.customerId) return;
  const api = proxy.api;
  await ensureKnownCustomer(proxy.shopId, proxy.customerId, "storefront", async () => {
    if (!api) throw proxyAnswer(503, "shopify_unavailable", "Try again in a moment");
    return api.admin;
  });
}

/**
 * Cache-Control of a successful answer: member data is `private, no-store` (the default); what is
 * the same for every shopper of the shop may be cached by browsers and shared caches for a while.
 */
export const PUBLIC_CACHE = { "Cache-Control": "public, max-age=300, stale-while-revalidate=60" };

/** Runs the route's work and maps LoyaltyErrors and bad input to JSON 4xx/503 answers. */
export async function proxyJson(
  work: () => Promise<unknown>,
  cache: Record<string, string> = NO_STORE,
): Promise<Response> {
  try {
    return Response.json(await work(), { headers: cache });
  } catch (error) {
    if (error instanceof Response) return error;
    if (error instanceof LoyaltyError) {
      const reason = error instanceof ReferralRefused ? error.reason : undefined;
      return proxyAnswer(LOYALTY_ERROR_STATUS[error.code], error.code, error.message, reason);
    }
    if (error instanceof ZodError) {
      const message = error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
      return proxyAnswer(422, "invalid_input", message.join("; "));
    }
    // Never echo an unexpected error to the storefront.
    logger.error("app proxy request failed", { error: String(error) });
    return proxyAnswer(500, "internal_error", "Something went wrong; please try again");
  }
}

/** A JSON error answer; `reason` refines the code where the widget words each case itself. */
export function proxyAnswer(status: number, code: string, message: string, reason?: string) {
  return Response.json({ error: { code, message, reason } }, { status, headers: NO_STORE });
}

const NO_STORE = { "Cache-Control": "private, no-store" };

/** The 429 every shopper-facing surface (storefront, customer account, POS) answers past its limit. */
export function rateLimitedAnswer(retryAfterSeconds: number) {
  return Response.json(
    { error: { code: "rate_limited", message: "Too many requests; please wait a moment" } },
    { status: 429, headers: { ...NO_STORE, "Retry-After": String(retryAfterSeconds) } },
  );
}

/** A POST body as JSON or form fields. */
export async function readBody(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const body: unknown = await request.json().catch(() => null);
    if (body && typeof body === "object" && !Array.isArray(body)) {
      return body as Record<string, unknown>;
    }
    throw proxyAnswer(400, "invalid_input", "The body must be a JSON object");
  }
  return Object.fromEntries((await request.formData()).entries());
}
