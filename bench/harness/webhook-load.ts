import http from "node:http";
import { webhookHmac } from "../../sandbox/shopify/signing";
import { APP_CREDENTIALS } from "./app-processes";

/** One webhook as Shopify would send it: the topic, a unique X-Shopify-Webhook-Id and the payload. */
export interface OutgoingWebhook {
  topic: string;
  webhookId: string;
  payload: unknown;
}

export interface SendResult {
  status: number;
  /** From the first byte written to the last byte of the answer, in milliseconds. */
  latencyMs: number;
}

const PATHS: Record<string, string> = {
  "orders/paid": "/webhooks/orders",
  "orders/cancelled": "/webhooks/orders",
  "refunds/create": "/webhooks/orders",
  "customers/create": "/webhooks/customers",
  "customers/update": "/webhooks/customers",
};

/**
 * Sends signed webhooks to the app over real HTTP with keep-alive connections, as Shopify's
 * delivery fleet does. The body is signed with the app's secret exactly as in sandbox/shopify.
 */
export class WebhookSender {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(
    appUrl: string,
    private readonly shop: string,
    maxSockets = 64,
  ) {
    this.base = new URL(appUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  send(webhook: OutgoingWebhook): Promise<SendResult> {
    const body = JSON.stringify(webhook.payload);
    const path = PATHS[webhook.topic];
    if (!path) throw new Error(`no route for ${webhook.topic}`);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method: "POST",
          agent: this.agent,
          headers: {
            "Content-Type": "application/json",
            "Content-Length": Buffer.byteLength(body),
            "X-Shopify-Topic": webhook.topic,
            "X-Shopify-Hmac-Sha256": webhookHmac(body, APP_CREDENTIALS.SHOPIFY_API_SECRET),
            "X-Shopify-Shop-Domain": this.shop,
            "X-Shopify-API-Version": "2026-10",
            "X-Shopify-Webhook-Id": webhook.webhookId,
            "X-Shopify-Event-Id": webhook.webhookId,
            "X-Shopify-Triggered-At": new Date().toISOString(),
          },
        },
        (response) => {
          response.resume();
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, latencyMs: performance.now() - started }),
          );
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  }

  /** Open loop: webhook i leaves at start + i / rate, whether or not earlier answers came back. */
  async sendAtRate(webhooks: readonly OutgoingWebhook[], perSecond: number) {
    const started = performance.now();
    const pending: Promise<SendResult>[] = [];
    for (let i = 0; i < webhooks.length; i++) {
      const due = started + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(this.send(webhooks[i]!));
    }
    return Promise.all(pending);
  }

  /** Closed loop: `concurrency` senders, each sending its next webhook when the last was answered. */
  async sendWithConcurrency(webhooks: readonly OutgoingWebhook[], concurrency: number) {
    const results: SendResult[] = new Array(webhooks.length);
    let next = 0;
    const sender = async () => {
      while (next < webhooks.length) {
        const index = next++;
        results[index] = await this.send(webhooks[index]!);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sender));
    return results;
  }

  close() {
    this.agent.destroy();
  }
}
