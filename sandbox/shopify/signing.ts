import { createHmac, randomUUID } from "node:crypto";

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body with the app's API secret. */
export function webhookHmac(body: string, secret: string) {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export interface WebhookDeliveryOptions {
  appUrl: string;
  path: string;
  topic: string; // "orders/paid"
  shop: string;
  payload: unknown;
  secret: string;
  apiVersion?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: Date;
}

/** A webhook request exactly as Shopify sends it (headers per shopify.dev/docs/apps/build/webhooks). */
export function signedWebhookRequest(options: WebhookDeliveryOptions): Request {
  const body = JSON.stringify(options.payload);
  return new Request(new URL(options.path, options.appUrl), {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": options.topic,
      "X-Shopify-Hmac-Sha256": webhookHmac(body, options.secret),
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-API-Version": options.apiVersion ?? "2026-10",
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": (options.triggeredAt ?? new Date()).toISOString(),
    },
  });
}

/**
 * App proxy signature: sorted `key=value` pairs joined with nothing, hex HMAC-SHA256
 * (shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies).
 */
export function signAppProxyQuery(params: Record<string, string>, secret: string) {
  const message = Object.keys(params)
    .filter((key) => key !== "signature")
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** A Flow action request as Flow sends it: JSON body, base64 HMAC-SHA256 of it in X-Shopify-Hmac-SHA256. */
export function signedFlowActionRequest(options: {
  url: string;
  secret: string;
  shop: string;
  handle: string;
  actionRunId: string;
  properties: Record<string, unknown>;
}) {
  const body = JSON.stringify({
    shop_id: "1",
    shopify_domain: options.shop,
    action_run_id: options.actionRunId,
    action_definition_id: options.handle,
    handle: options.handle,
    properties: options.properties,
  });
  return new Request(options.url, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-SHA256": webhookHmac(body, options.secret),
    },
  });
}
