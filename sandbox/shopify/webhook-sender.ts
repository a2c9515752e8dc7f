import { randomUUID } from "node:crypto";
import { subscriptionUri, type AppConfig } from "./app-config";
import { signedFlowActionRequest, signedWebhookRequest } from "./signing";

export interface SentWebhook {
  webhookId: string;
  topic: string;
  uri: string;
  status: number | "unreachable";
  sentAt: string;
  durationMs: number;
}

/**
 * Delivers webhooks the way Shopify does: to the subscription's address from shopify.app.toml,
 * signed with the app's secret, one X-Shopify-Webhook-Id per delivery (kept on a redelivery).
 */
export class WebhookSender {
  readonly log: SentWebhook[] = [];
  private readonly bodies = new Map<string, { topic: string; payload: unknown }>();

  constructor(
    private readonly options: { appUrl: string; shop: string; secret: string; config: AppConfig },
  ) {}

  async send(
    topic: string,
    payload: unknown,
    webhookId: string = randomUUID(),
  ): Promise<SentWebhook> {
    const uri = subscriptionUri(this.options.config, topic);
    if (!uri) throw new Error(`shopify.app.toml subscribes to no "${topic}" webhook`);
    this.bodies.set(webhookId, { topic, payload });
    const request = signedWebhookRequest({
      appUrl: this.options.appUrl,
      path: uri,
      topic,
      shop: this.options.shop,
      payload,
      secret: this.options.secret,
      apiVersion: this.options.config.apiVersion,
      webhookId,
    });
    return this.post(request, { webhookId, topic, uri }, 5000);
  }

  /**
   * What Flow does when a workflow reaches one of the app's actions: a signed POST to the
   * action's runtime_url (relative to the app URL), logged with the other deliveries.
   */
  async runFlowAction(handle: string, runtimeUrl: string, properties: Record<string, unknown>) {
    const actionRunId = randomUUID();
    const request = signedFlowActionRequest({
      url: new URL(runtimeUrl, this.options.appUrl).toString(),
      secret: this.options.secret,
      shop: this.options.shop,
      handle,
      actionRunId,
      properties,
    });
    const id = { webhookId: actionRunId, topic: `flow action ${handle}`, uri: runtimeUrl };
    return this.post(request, id, 10_000);
  }

  /** Sends one signed request to the app and logs how it answered (Shopify's 5 s window, Flow's 10 s). */
  private async post(
    request: Request,
    id: Pick<SentWebhook, "webhookId" | "topic" | "uri">,
    timeoutMs: number,
  ): Promise<SentWebhook> {
    const started = performance.now();
    let status: SentWebhook["status"];
    try {
      const response = await fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
      status = response.status;
      await response.body?.cancel();
    } catch {
      status = "unreachable";
    }
    const sent: SentWebhook = {
      ...id,
      status,
      sentAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
    };
    this.log.unshift(sent);
    this.log.length = Math.min(this.log.length, 200);
    return sent;
  }

  /** Shopify retries and sometimes redelivers: same id, same body. */
  async redeliver(webhookId: string) {
    const original = this.bodies.get(webhookId);
    if (!original) throw new Error(`no webhook ${webhookId} was sent`);
    return this.send(original.topic, original.payload, webhookId);
  }
}
