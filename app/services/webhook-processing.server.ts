import type { Prisma } from "@prisma/client";
import { ZodError } from "zod";
import prisma from "~/db.server";
import { offlineAdmin } from "~/integrations/shopify/offline-admin.server";
import { fetchOrderForLoyalty } from "~/integrations/shopify/order.server";
import { logger } from "~/lib/logger.server";
import { handleComplianceDelivery, COMPLIANCE_TOPICS } from "./compliance.server";
import { applyCustomerDeleted } from "./customer-deletion.server";
import { applyCustomerMerge } from "./customer-merge.server";
import {
  applyAccountRegistered,
  applyCustomerCreated,
  applyCustomerUpdated,
} from "./customers.server";
import {
  applyOrderCancelled,
  applyOrderEdited,
  applyOrderPaid,
  applyRefund,
  editedOrderId,
} from "./orders.server";
import { programInForce } from "./program.server";
import { markRewardsUsed } from "./redemption/lifecycle.server";
import { completeReferral } from "./referrals.server";
import type { HandlerOutcome, StoredDelivery } from "./stored-delivery";

type DeliveryHandler = (
  tx: Prisma.TransactionClient,
  delivery: StoredDelivery,
) => Promise<HandlerOutcome | void>;

const byPayload =
  (
    apply: (
      tx: Prisma.TransactionClient,
      shopId: string,
      payload: unknown,
    ) => Promise<HandlerOutcome>,
  ) =>
  (tx: Prisma.TransactionClient, delivery: StoredDelivery) =>
    apply(tx, delivery.shopId, delivery.payload);

/**
 * Topic → what applying it means. A topic without an entry stays recorded but unprocessed, visible
 * as such in the admin, and is applied when its handler ships because the stored payload is kept.
 */
const HANDLERS: Partial<Record<string, DeliveryHandler>> = {
  ...Object.fromEntries(COMPLIANCE_TOPICS.map((topic) => [topic, handleComplianceDelivery])),
  ORDERS_PAID: byPayload(async (tx, shopId, payload) => {
    // Read once for the earn and for the reward codes and referral below.
    const program = await programInForce(tx, shopId);
    const outcome = await applyOrderPaid(tx, shopId, payload, program);
    // Loyalty reward codes in the order become used (reward.used), with or without a member.
    const { config } = program;
    const used = await markRewardsUsed(tx, shopId, payload, config);
    const referred = await completeReferral(tx, shopId, payload, config);
    return used > 0 || referred ? "applied" : outcome;
  }),
  REFUNDS_CREATE: byPayload(applyRefund),
  ORDERS_CANCELLED: byPayload(applyOrderCancelled),
  CUSTOMERS_CREATE: byPayload(applyCustomerCreated),
  CUSTOMERS_UPDATE: byPayload(applyCustomerUpdated),
  CUSTOMERS_ENABLE: byPayload(applyAccountRegistered),
  CUSTOMERS_MERGE: byPayload(applyCustomerMerge),
  CUSTOMERS_DELETE: byPayload(applyCustomerDeleted),
};

/**
 * Topics whose handler first reads from Shopify. The read happens before the transaction opens,
 * so no network call ever holds a database transaction (and the embedded database) open.
 */
const READ_FIRST: Partial<Record<string, (delivery: StoredDelivery) => Promise<DeliveryHandler>>> =
  {
    // The orders/edited payload has no prices or totals: read the edited order back.
    ORDERS_EDITED: async (delivery) => {
      const admin = await offlineAdmin(delivery.shop.domain);
      const fetched = await fetchOrderForLoyalty(admin, editedOrderId(delivery.payload));
      return (tx) => applyOrderEdited(tx, delivery.shopId, delivery.payload, fetched);
    },
  };

/** After this many failed attempts a delivery stops being retried (pg-boss's retryLimit 8, + 1). */
export const MAX_ATTEMPTS = 9;

/** Seconds before the next attempt after `attempts` failed ones: 5, 10, 20, … up to 10 minutes. */
export function retryDelaySeconds(attempts: number) {
  return Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));
}

/** What became of one attempt at a delivery. */
export type AttemptResult = "processed" | "rejected" | "no-handler" | "failed";

/**
 * Applies one recorded webhook delivery (tests, and jobs queued before deliveries were claimed from
 * their table). A payload that fails validation is marked rejected with the reason and not retried
 * (it will not get better); any other error is recorded and rethrown.
 */
export async function processWebhookDelivery(deliveryId: string) {
  const delivery = await prisma.webhookDelivery.findUnique({
    where: { id: deliveryId },
    include: { shop: { select: { id: true, domain: true } } },
  });
  if (!delivery) {
    // shop/redact removed the shop and its deliveries after this job was queued: nothing to do.
    logger.info("webhook delivery gone before processing", { deliveryId });
    return;
  }
  if (delivery.processedAt) return;
  const result = await applyStoredDelivery(delivery);
  if (result.status === "failed") throw result.error;
}

/**
 * One attempt at a delivery a worker holds. The effect and the "processed" mark commit together,
 * so a crash in between redoes neither twice. A failure is recorded with the time of the next
 * attempt (exponential backoff; none after MAX_ATTEMPTS), and returned, not thrown.
 */
export async function applyStoredDelivery(
  delivery: StoredDelivery,
): Promise<{ status: Exclude<AttemptResult, "failed"> } | { status: "failed"; error: Error }> {
  const deliveryId = delivery.id;
  const where = { id: deliveryId, shopId: delivery.shopId };
  const readFirst = READ_FIRST[delivery.topic];
  if (!HANDLERS[delivery.topic] && !readFirst) {
    logger.debug("no handler for topic yet", { topic: delivery.topic, deliveryId });
    // Kept unprocessed (the payload waits for its handler) but no longer due.
    await prisma.webhookDelivery.updateMany({ where, data: { nextAttemptAt: null } });
    return { status: "no-handler" };
  }
  try {
    const handler = readFirst ? await readFirst(delivery) : HANDLERS[delivery.topic]!;
    await prisma.$transaction(async (tx) => {
      const outcome = (await handler(tx, delivery)) ?? "applied";
      await tx.$executeRaw`
        UPDATE "WebhookDelivery"
        SET "processedAt" = ${new Date().toISOString()}::timestamp(3), attempts = attempts + 1,
          "lastError" = NULL, outcome = ${outcome}, "nextAttemptAt" = NULL
        WHERE id = ${deliveryId}::uuid AND "shopId" = ${delivery.shopId}::uuid`;
    });
    return { status: "processed" };
  } catch (caught) {
    if (caught instanceof ZodError) {
      const reason = caught.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      await prisma.webhookDelivery.updateMany({
        where,
        data: {
          processedAt: new Date(),
          attempts: { increment: 1 },
          outcome: "rejected",
          lastError: `invalid payload: ${reason}`.slice(0, 2000),
          nextAttemptAt: null,
        },
      });
      logger.warn("webhook payload rejected", { topic: delivery.topic, deliveryId, reason });
      return { status: "rejected" };
    }
    const error = caught instanceof Error ? caught : new Error(String(caught));
    const attempts = delivery.attempts + 1;
    await prisma.webhookDelivery.updateMany({
      where,
      data: {
        attempts: { increment: 1 },
        lastError: String(error.message).slice(0, 2000),
        nextAttemptAt:
          attempts >= MAX_ATTEMPTS
            ? null
            : new Date(Date.now() + retryDelaySeconds(attempts) * 1000),
      },
    });
    return { status: "failed", error };
  }
}
