import {
  LogSeverity,
  shopifyApi,
  WebhookType,
  WebhookValidationErrorReason,
} from "@shopify/shopify-api";
import { env } from "~/env.server";
import { logger } from "~/lib/logger.server";
import { apiVersion } from "~/shopify.server";

/** A webhook Shopify signed, with what its headers say about it. */
export interface VerifiedWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  eventId?: string;
  apiVersion: string;
  triggeredAt?: string;
  payload: unknown;
}

/**
 * Shopify's own webhook validator (the one `authenticate.webhook` calls: HMAC-SHA256 over the raw
 * body, compared in constant time, then the required headers), without what `authenticate.webhook`
 * adds after it: loading the shop's offline session and building an Admin API client, a database
 * read per webhook that a queued webhook never uses (ADR 0037).
 */
const verifier = (() => {
  const config = env();
  return shopifyApi({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    apiVersion,
    hostName: new URL(config.SHOPIFY_APP_URL).host,
    isEmbeddedApp: true,
    // Its only messages here would be a startup banner and failed checks, which we log ourselves.
    logger: { level: LogSeverity.Error, log: () => undefined },
  }).webhooks;
})();

/**
 * Verifies a webhook request with `authenticate.webhook`'s answers: 405 for anything but POST, 401
 * for a wrong or missing HMAC, 400 for missing Shopify headers (thrown as a Response). A body that
 * is signed but not JSON is refused with 400 as well, rather than failing later.
 */
export async function verifyShopifyWebhook(request: Request): Promise<VerifiedWebhook> {
  if (request.method !== "POST") {
    throw new Response(undefined, { status: 405, statusText: "Method not allowed" });
  }
  const rawBody = await request.text();
  const check = await verifier.validate({ rawBody, rawRequest: request });
  if (!check.valid) {
    const badHmac = check.reason === WebhookValidationErrorReason.InvalidHmac;
    logger.debug("webhook validation failed", { reason: check.reason, url: request.url });
    throw new Response(
      undefined,
      badHmac
        ? { status: 401, statusText: "Unauthorized" }
        : { status: 400, statusText: "Bad Request" },
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw new Response("The webhook body is not JSON", { status: 400 });
  }
  return {
    shop: check.domain,
    topic: check.topic,
    webhookId: check.webhookId,
    eventId: check.webhookType === WebhookType.Webhooks ? check.eventId : undefined,
    apiVersion: check.apiVersion,
    triggeredAt: check.triggeredAt,
    payload,
  };
}
