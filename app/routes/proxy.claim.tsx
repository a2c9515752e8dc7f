import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { formatCode, normalizeCode } from "~/domain/claim-codes/code";
import {
  claimPageLiquid,
  shopperText,
  type ClaimPageInput,
  type ClaimPageState,
} from "~/domain/claim-codes/shopper-page";
import { clientIp } from "~/domain/storefront/rate-limit";
import {
  authenticateProxy,
  ensureShopperIsMember,
  proxyAnswer,
  readBody,
} from "~/lib/proxy-route.server";
import { logger } from "~/lib/logger.server";
import { claimCode, type ClaimOutcome } from "~/services/claim-codes/claim.server";

// The storefront's claim page for printed codes (issue #23, ADR 0068), at
// https://<shop>/apps/loyalty/claim?code=K7QF-M2XR-9PDA. GET shows the page (sign in, or a
// button); POST claims. A browser gets Liquid that Shopify renders in the theme; a client that
// sends or accepts JSON gets JSON with the refusal's reason and an HTTP status.

const NO_STORE = { "Cache-Control": "private, no-store" };

/** GET: the page for the code in the link. Looks nothing up: only a claim tries a code. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const proxy = await authenticateProxy(request, "read");
  const url = new URL(request.url);
  const typed = (url.searchParams.get("code") ?? "").trim().slice(0, 64);
  const code = normalizeCode(typed);
  const page = pageOf(url, typed);
  if (!proxy.customerId) return liquid(page("sign_in"));
  return liquid(page(code ? "ready" : "malformed", { code: code ? formatCode(code) : typed }));
};

/** POST { code }: the signed-in shopper claims the code. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const proxy = await authenticateProxy(request, "write");
  const url = new URL(request.url);
  const wantsJson =
    (request.headers.get("content-type") ?? "").includes("application/json") ||
    (request.headers.get("accept") ?? "").includes("application/json");
  const body = await readBody(request);
  const raw = typeof body.code === "string" ? body.code : (url.searchParams.get("code") ?? "");
  const typed = raw.trim().slice(0, 64);
  const page = pageOf(url, typed);
  if (!proxy.customerId) {
    return wantsJson
      ? proxyAnswer(401, "sign_in", shopperText("en", "sign_in", { code: typed }))
      : liquid(page("sign_in"));
  }
  let outcome: ClaimOutcome;
  try {
    await ensureShopperIsMember(proxy);
    outcome = await claimCode({
      shopId: proxy.shopId,
      customerId: proxy.customerId,
      input: typed,
      ip: clientIp(request.headers.get("x-forwarded-for")),
    });
  } catch (error) {
    if (error instanceof Response) return wantsJson ? error : liquid(page("error"));
    // Never echo an unexpected error to the storefront.
    logger.error("claim code failed", { error: String(error) });
    return wantsJson
      ? proxyAnswer(500, "internal_error", shopperText("en", "error"))
      : liquid(page("error"));
  }
  if (outcome.status === "claimed") {
    const values = { code: outcome.code, points: outcome.points, balance: outcome.balance };
    return wantsJson
      ? Response.json({ claimed: values }, { headers: NO_STORE })
      : liquid(page("claimed", values));
  }
  if (outcome.status === "rate_limited") {
    const retry = { "Retry-After": String(outcome.retryAfterSeconds) };
    if (wantsJson) {
      return Response.json(
        {
          error: {
            code: "rate_limited",
            message: shopperText("en", "rate_limited", {
              minutes: Math.ceil(outcome.retryAfterSeconds / 60),
            }),
          },
        },
        { status: 429, headers: { ...NO_STORE, ...retry } },
      );
    }
    return liquid(page("rate_limited", { retryAfterSeconds: outcome.retryAfterSeconds }), retry);
  }
  if (!wantsJson) return liquid(page(outcome.reason));
  const status = { malformed: 422, unknown: 404, used: 409, expired: 410 }[outcome.reason];
  return proxyAnswer(status, "claim_refused", shopperText("en", outcome.reason), outcome.reason);
};

function pageOf(url: URL, typed: string) {
  // Back to this page after signing in, under the proxy's prefix (signed: path_prefix).
  const prefix = url.searchParams.get("path_prefix") || "/apps/loyalty";
  const returnTo = `${prefix}/claim?code=${encodeURIComponent(typed)}`;
  return (state: ClaimPageState, extra: Partial<ClaimPageInput> = {}): ClaimPageInput => ({
    state,
    code: typed,
    returnTo,
    ...extra,
  });
}

/**
 * The page as Liquid, which Shopify renders in the shop's theme (App Proxy: Content-Type
 * application/liquid). Refusals are 200 too: the message is the page.
 */
function liquid(page: ClaimPageInput, headers: Record<string, string> = {}) {
  return new Response(claimPageLiquid(page), {
    headers: { "Content-Type": "application/liquid; charset=utf-8", ...NO_STORE, ...headers },
  });
}
