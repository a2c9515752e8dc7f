/** Every pg-boss queue the app uses, with its retry policy. Names are stable: jobs outlive deploys. */
export const QUEUES = {
  /** One Shopify webhook delivery to apply (orders, refunds, customers, compliance). */
  webhook: {
    name: "webhook.process",
    options: { retryLimit: 8, retryDelay: 5, retryBackoff: true, retryDelayMax: 600 },
  },
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]["name"];

export interface WebhookJob {
  deliveryId: string;
}
