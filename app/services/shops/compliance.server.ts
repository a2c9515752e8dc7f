import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { logger } from "~/lib/logger.server";
import { forgetPersonalData } from "../members/deletion.server";
import type { StoredDelivery } from "../webhooks/stored-delivery";

// Shopify's mandatory compliance webhooks: https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
export const COMPLIANCE_TOPICS = ["CUSTOMERS_DATA_REQUEST", "CUSTOMERS_REDACT", "SHOP_REDACT"];

const CustomerRef = z.object({
  id: z.coerce.bigint(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
});
const DataRequest = z.object({
  shop_domain: z.string(),
  customer: CustomerRef,
  orders_requested: z.array(z.coerce.string()).default([]),
  data_request: z.object({ id: z.coerce.string() }).optional(),
});
const CustomerRedact = z.object({
  shop_domain: z.string(),
  customer: CustomerRef,
  orders_to_redact: z.array(z.coerce.string()).default([]),
});

export async function handleComplianceDelivery(
  tx: Prisma.TransactionClient,
  delivery: StoredDelivery,
) {
  switch (delivery.topic) {
    case "CUSTOMERS_DATA_REQUEST":
      return assembleCustomerData(tx, delivery);
    case "CUSTOMERS_REDACT":
      return redactCustomer(tx, delivery);
    case "SHOP_REDACT":
      return redactShop(tx, delivery);
  }
}

/** Gathers everything stored about the customer into a ComplianceRequest for the merchant to send. */
async function assembleCustomerData(tx: Prisma.TransactionClient, delivery: StoredDelivery) {
  const request = DataRequest.parse(delivery.payload);
  const deliveries = await tx.$queryRaw<{ topic: string; receivedAt: Date; payload: unknown }[]>`
    SELECT topic, "receivedAt", payload FROM "WebhookDelivery"
    WHERE "shopId" = ${delivery.shopId}::uuid AND id <> ${delivery.id}::uuid
      AND ("customerId" = ${request.customer.id} OR payload->>'id' = ANY(${request.orders_requested}::text[]))
      AND topic NOT IN ('CUSTOMERS_DATA_REQUEST', 'CUSTOMERS_REDACT')
    ORDER BY "receivedAt"`;
  await tx.complianceRequest.create({
    data: {
      shopId: delivery.shopId,
      topic: delivery.topic,
      customerId: request.customer.id,
      requestId: request.data_request?.id ?? null,
      completedAt: new Date(),
      result: toJson({
        customer: { id: request.customer.id.toString(), email: request.customer.email ?? null },
        shopifyEventsReceived: deliveries,
      }),
    },
  });
}

/**
 * Removes the customer's personal data: stored payloads about them or their orders keep only their
 * id, and earlier data-request exports are emptied. Ledger sums (when the engine stores them) are
 * pseudonymised, not deleted, so the shop's totals stay true.
 */
async function redactCustomer(tx: Prisma.TransactionClient, delivery: StoredDelivery) {
  const request = CustomerRedact.parse(delivery.payload);
  const redacted = await tx.$executeRaw`
    UPDATE "WebhookDelivery"
    SET payload = jsonb_build_object('id', payload->'id', 'redacted', true)
    WHERE "shopId" = ${delivery.shopId}::uuid
      AND ("customerId" = ${request.customer.id} OR payload->>'id' = ANY(${request.orders_to_redact}::text[]))`;
  // A guest order's commerce events (ADR 0071) name the guest only in their snapshot.
  await tx.$executeRaw`
    UPDATE "LoyaltyEvent"
    SET snapshot = snapshot || '{"email":null,"phone":null,"first_name":null,"last_name":null}'::jsonb
    WHERE "shopId" = ${delivery.shopId}::uuid AND "customerId" IS NULL
      AND payload->'order'->>'orderId' = ANY(${request.orders_to_redact}::text[])`;
  const memberForgotten = await forgetPersonalData(
    tx,
    delivery.shopId,
    request.customer.id,
    "redacted",
  );
  await tx.complianceRequest.updateMany({
    where: {
      shopId: delivery.shopId,
      customerId: request.customer.id,
      topic: "CUSTOMERS_DATA_REQUEST",
    },
    data: { result: toJson({ redacted: true }) },
  });
  await tx.complianceRequest.create({
    data: {
      shopId: delivery.shopId,
      topic: delivery.topic,
      customerId: request.customer.id,
      completedAt: new Date(),
      result: { redactedDeliveries: redacted, memberForgotten },
    },
  });
}

/** 48 hours after uninstall: everything the app holds for the shop goes. */
async function redactShop(tx: Prisma.TransactionClient, delivery: StoredDelivery) {
  await tx.session.deleteMany({ where: { shop: delivery.shop.domain } });
  await tx.shop.delete({ where: { id: delivery.shopId } });
  logger.info("shop data removed", { shop: delivery.shop.domain });
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}
