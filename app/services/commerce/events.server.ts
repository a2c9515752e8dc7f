import { createHash } from "node:crypto";
import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { env } from "~/env.server";
import { ShopifyGraphqlError, type AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { activateWebPixel, WebPixelRefused } from "~/integrations/shopify/web-pixel.server";
import { logger } from "~/lib/logger.server";
import {
  cancelledOrderFacts,
  CommerceOrderPayload,
  commerceDestinations,
  commerceType,
  fulfilledOrderFacts,
  placedOrderFacts,
  refundedOrderFacts,
  type CommerceContact,
  type CommerceFact,
  type OrderEventPayload,
} from "~/domain/commerce";
import { RefundPayload } from "../orders/payloads";
import { queueKlaviyoDelivery, queueOmnisendDelivery } from "~/jobs/queues/send.server";

/**
 * The outbox id of a commerce fact: a name-based UUID (version 5, RFC 9562) of the shop and the
 * fact's key. The same fact always gets the same id, so the primary key makes it once-only, and
 * the id is what Klaviyo's `unique_id` and Omnisend's `eventID` (v4–v7 accepted) carry.
 */
export function commerceEventId(shopId: string, key: string): string {
  const namespace = Buffer.from(shopId.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(namespace).update(key).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether the shop sends commerce events (off by default; Settings → Commerce events). */
export async function commerceEventsEnabled(tx: Prisma.TransactionClient, shopId: string) {
  const rows = await tx.$queryRaw<{ enabled: boolean }[]>`
    SELECT "commerceEventsEnabled" AS enabled FROM "Shop" WHERE id = ${shopId}::uuid`;
  return rows[0]?.enabled === true;
}

/**
 * Writes the facts into the outbox in the caller's transaction, with a delivery to each email
 * platform that takes the kind (Flow has its own Shopify order triggers), each once: a fact whose id is
 * already there (a redelivered webhook, a second orders/paid) inserts nothing and sends nothing.
 * Returns how many were new.
 */
export async function recordCommerceFacts(
  tx: Prisma.TransactionClient,
  shopId: string,
  facts: readonly CommerceFact[],
): Promise<number> {
  let recorded = 0;
  const now = new Date().toISOString();
  for (const fact of facts) {
    const id = commerceEventId(shopId, fact.key);
    recorded += await tx.$executeRaw`
      WITH event AS (
        INSERT INTO "LoyaltyEvent" (id, "shopId", "memberId", "customerId", type, payload, snapshot,
          "occurredAt", "createdAt")
        VALUES (${id}::uuid, ${shopId}::uuid,
          (SELECT m.id FROM "Member" m
           WHERE m."shopId" = ${shopId}::uuid AND m."customerId" = ${fact.customerId}::bigint),
          ${fact.customerId}::bigint, ${commerceType(fact.kind)},
          ${JSON.stringify(fact.payload)}::jsonb, ${JSON.stringify(fact.contact)}::jsonb,
          ${fact.occurredAt.toISOString()}::timestamp(3), ${now}::timestamp(3))
        ON CONFLICT (id) DO NOTHING
        RETURNING id, "shopId"
      )
      INSERT INTO "EventDelivery" ("eventId", "shopId", destination, state, "updatedAt")
      SELECT event.id, event."shopId", d.destination, 'pending', ${now}::timestamp(3)
      FROM event, unnest(${commerceDestinations(fact.kind)}::text[]) AS d(destination)`;
  }
  if (recorded > 0) {
    await queueKlaviyoDelivery(tx, shopId);
    await queueOmnisendDelivery(tx, shopId);
  }
  return recorded;
}

/** The order's points in the ledger now (earned, less what refunds and cancellation took back). */
async function orderPoints(tx: Prisma.TransactionClient, shopId: string, orderId: string) {
  const rows = await tx.$queryRaw<{ points: bigint | null }[]>`
    SELECT SUM(points)::bigint AS points FROM "LedgerEntry"
    WHERE "shopId" = ${shopId}::uuid AND "orderId" = ${orderId}::bigint AND kind <> 'redemption'`;
  return Number(rows[0]?.points ?? 0);
}

export type OrderTopic = "ORDERS_PAID" | "ORDERS_FULFILLED" | "ORDERS_CANCELLED" | "REFUNDS_CREATE";

/**
 * The commerce events of one order webhook, recorded after the loyalty handler in the same
 * transaction (so Placed Order carries the points the order just earned). Nothing when the shop
 * has commerce events off. A payload the loyalty handler accepted but that lacks what an event
 * needs (a guest order, a refund of an order never seen paid) records nothing.
 */
export async function recordOrderCommerceEvents(
  tx: Prisma.TransactionClient,
  shopId: string,
  topic: OrderTopic,
  payload: unknown,
  now = new Date(),
): Promise<number> {
  if (!(await commerceEventsEnabled(tx, shopId))) return 0;
  if (topic === "REFUNDS_CREATE") {
    const refund = RefundPayload.parse(payload);
    const placed = await placedOrder(tx, shopId, refund.order_id);
    const points = await orderPoints(tx, shopId, refund.order_id);
    return recordCommerceFacts(tx, shopId, refundedOrderFacts(refund, placed, points, now));
  }
  const order = CommerceOrderPayload.parse(payload);
  const points = await orderPoints(tx, shopId, order.id);
  const facts =
    topic === "ORDERS_PAID"
      ? placedOrderFacts(order, points, now)
      : topic === "ORDERS_FULFILLED"
        ? fulfilledOrderFacts(order, points, now)
        : cancelledOrderFacts(order, points, now);
  return recordCommerceFacts(tx, shopId, facts);
}

/** The order and contact as Placed Order recorded them (refunds/create names neither). */
async function placedOrder(tx: Prisma.TransactionClient, shopId: string, orderId: string) {
  const id = commerceEventId(shopId, `order:${orderId}:placed`);
  const rows = await tx.$queryRaw<
    { customerId: bigint | null; payload: unknown; snapshot: unknown }[]
  >`
    SELECT "customerId", payload, snapshot FROM "LoyaltyEvent"
    WHERE id = ${id}::uuid AND "shopId" = ${shopId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  return {
    order: (row.payload as OrderEventPayload).order,
    customerId: row.customerId?.toString() ?? null,
    contact: row.snapshot as CommerceContact,
  };
}

/** Whether the shop sends commerce events, for the settings page. */
export async function commerceEventsSetting(shopId: string): Promise<boolean> {
  const shop = await prisma.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { commerceEventsEnabled: true },
  });
  return shop.commerceEventsEnabled;
}

/**
 * Turns commerce events on or off for the shop (Settings → Commerce events). Turning them on also
 * activates the app's web pixel with this shop's id and the app's endpoint, so storefront events
 * start; `pixel` says whether Shopify accepted it (order events go either way). Turned off, the
 * pixel may keep posting, and /pixel/events refuses its events.
 */
export async function setCommerceEvents(
  shopId: string,
  enabled: boolean,
  admin?: AdminGraphql,
): Promise<{ pixel: "active" | "failed" | "unchanged" }> {
  await prisma.shop.update({ where: { id: shopId }, data: { commerceEventsEnabled: enabled } });
  if (!enabled || !admin) return { pixel: "unchanged" };
  try {
    const endpoint = new URL("/pixel/events", env().SHOPIFY_APP_URL).toString();
    await activateWebPixel(admin, { shopId, endpoint });
    return { pixel: "active" };
  } catch (error) {
    if (error instanceof WebPixelRefused || error instanceof ShopifyGraphqlError) {
      logger.warn("web pixel not activated", { shopId, reason: error.message });
      return { pixel: "failed" };
    }
    throw error;
  }
}
