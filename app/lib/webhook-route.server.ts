import { logger } from "~/lib/logger.server";
import { verifyShopifyWebhook } from "~/lib/webhook-verification.server";
import { acceptWebhook } from "~/services/webhooks/intake.server";

/**
 * The whole of a queued webhook route: verify the HMAC (401 on a bad one, thrown by
 * verifyShopifyWebhook, Shopify's validator as in authenticate.webhook without its session read),
 * record + enqueue in one statement, answer 200 fast. Processing happens in the worker, so a
 * slow or failing effect never makes Shopify's 5 s delivery window fail.
 */
export async function receiveQueuedWebhook(request: Request, topics: readonly string[]) {
  const webhook = await verifyShopifyWebhook(request);
  if (!topics.includes(webhook.topic)) {
    logger.warn("webhook topic not handled by this route", {
      topic: webhook.topic,
      url: request.url,
    });
    return new Response(`Topic ${webhook.topic} is not handled at this address`, { status: 422 });
  }
  const result = await acceptWebhook({
    shop: webhook.shop,
    topic: webhook.topic,
    webhookId: webhook.webhookId,
    eventId: webhook.eventId,
    apiVersion: webhook.apiVersion,
    triggeredAt: webhook.triggeredAt,
    payload: webhook.payload,
  });
  logger.info("webhook received", {
    shop: webhook.shop,
    topic: webhook.topic,
    status: result.status,
  });
  return new Response(null, { status: 200 });
}
