import { randomUUID } from "node:crypto";
import { fromPrisma } from "pg-boss";
import prisma from "~/db.server";
import { getBoss } from "~/jobs/runtime.server";
import { QUEUES, type WebhookJob } from "~/jobs/queues";
import { ensureShop } from "./shops.server";

export interface IncomingWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  eventId?: string;
  apiVersion?: string;
  triggeredAt?: string;
  payload: unknown;
}

export type IntakeResult =
  { status: "accepted"; deliveryId: string } | { status: "duplicate"; deliveryId: undefined };

/**
 * Records a delivery and queues its processing in one transaction, so a delivery is either both
 * stored and queued or neither (Shopify then retries). A redelivery of the same X-Shopify-Webhook-Id
 * hits the unique index and is dropped; the effect itself has its own idempotency key downstream.
 */
export async function acceptWebhook(webhook: IncomingWebhook): Promise<IntakeResult> {
  const boss = await getBoss();
  return prisma.$transaction(async (tx) => {
    const shop = await ensureShop(tx, webhook.shop);
    const deliveryId = randomUUID();
    const { count } = await tx.webhookDelivery.createMany({
      data: {
        id: deliveryId,
        shopId: shop.id,
        webhookId: webhook.webhookId,
        eventId: webhook.eventId ?? null,
        topic: webhook.topic,
        customerId: customerIdOf(webhook.topic, webhook.payload),
        apiVersion: webhook.apiVersion ?? null,
        triggeredAt: parseDate(webhook.triggeredAt),
        payload: webhook.payload as object,
      },
      skipDuplicates: true,
    });
    if (count === 0) return { status: "duplicate", deliveryId: undefined };
    const job: WebhookJob = { deliveryId };
    await boss.send(QUEUES.webhook.name, job, { ...QUEUES.webhook.options, db: fromPrisma(tx) });
    return { status: "accepted", deliveryId };
  });
}

/**
 * Which customer a payload is about: customer topics carry the customer itself, orders, refunds
 * and compliance requests a nested `customer`. Merges name two customers and are matched later.
 */
export function customerIdOf(topic: string, payload: unknown): bigint | null {
  if (!isRecord(payload)) return null;
  const isCustomerTopic = topic.startsWith("CUSTOMERS_") && topic !== "CUSTOMERS_MERGE";
  const isComplianceTopic = topic === "CUSTOMERS_DATA_REQUEST" || topic === "CUSTOMERS_REDACT";
  const customer = isCustomerTopic && !isComplianceTopic ? payload : payload.customer;
  return isRecord(customer) ? shopifyIdOf(customer) : null;
}

/**
 * Shopify ids are 64-bit; a JSON number past 2^53 has already lost digits when parsed, so the exact
 * `admin_graphql_api_id` string wins, and an unsafe number is refused rather than trusted.
 */
export function shopifyIdOf(resource: Record<string, unknown>): bigint | null {
  const gid = resource.admin_graphql_api_id;
  if (typeof gid === "string") {
    const match = /^gid:\/\/shopify\/\w+\/(\d+)$/.exec(gid);
    if (match?.[1]) return BigInt(match[1]);
  }
  const id = resource.id;
  if (typeof id === "number" && Number.isSafeInteger(id) && id > 0) return BigInt(id);
  if (typeof id === "string" && /^\d+$/.test(id)) return BigInt(id);
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseDate(value: string | undefined) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
