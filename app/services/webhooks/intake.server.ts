import { randomUUID } from "node:crypto";
import prisma, { database } from "~/db.server";
import { ensureShop } from "../shops/ensure.server";

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
 * Records a delivery in one statement, which is all the acknowledgement waits for: the row is the
 * queue (its `nextAttemptAt` says it is due now; workers claim due rows, ADR 0034), so a delivery
 * is stored and queued together or not at all (Shopify then retries). A redelivery of the same
 * X-Shopify-Webhook-Id hits the unique index and is dropped; the effect itself has its own
 * idempotency key downstream. A shop's very first webhook creates the shop row first.
 */
export async function acceptWebhook(webhook: IncomingWebhook): Promise<IntakeResult> {
  const deliveryId = randomUUID();
  const customerId = customerIdOf(webhook.topic, webhook.payload);
  const triggeredAt = parseDate(webhook.triggeredAt);
  for (let attempt = 0; ; attempt++) {
    // The pg pool directly, not Prisma: this insert is all the acknowledgement waits for.
    const rows = await database.query<{ shopId: string | null; inserted: string | null }>(
      `WITH shop AS (SELECT id FROM "Shop" WHERE domain = $1),
      inserted AS (
        INSERT INTO "WebhookDelivery"
          (id, "shopId", "webhookId", "eventId", topic, "customerId", "apiVersion", "triggeredAt",
           payload, "receivedAt", "nextAttemptAt")
        SELECT $2::uuid, shop.id, $3, $4, $5, $6::bigint, $7, $8::timestamp(3), $9::jsonb,
          now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
        FROM shop
        ON CONFLICT ("shopId", "webhookId") DO NOTHING
        RETURNING id
      )
      SELECT (SELECT id::text FROM shop) AS "shopId", (SELECT id::text FROM inserted) AS inserted`,
      [
        webhook.shop,
        deliveryId,
        webhook.webhookId,
        webhook.eventId ?? null,
        webhook.topic,
        customerId?.toString() ?? null,
        webhook.apiVersion ?? null,
        triggeredAt,
        JSON.stringify(webhook.payload ?? null),
      ],
    );
    const row = rows[0];
    if (row?.inserted) return { status: "accepted", deliveryId: row.inserted };
    if (row?.shopId) return { status: "duplicate", deliveryId: undefined };
    // First contact (or the shop was redacted since): create the shop, then record the delivery.
    if (attempt > 0) throw new Error(`shop ${webhook.shop} could not be created`);
    await prisma.$transaction((tx) => ensureShop(tx, webhook.shop));
  }
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

/** An ISO timestamp in UTC (stored as `timestamp(3)`, as Prisma stores dates), or null. */
function parseDate(value: string | undefined) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
