import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { logger } from "~/lib/logger.server";
import { handleComplianceDelivery, COMPLIANCE_TOPICS } from "./compliance.server";
import type { StoredDelivery } from "./stored-delivery";

type DeliveryHandler = (tx: Prisma.TransactionClient, delivery: StoredDelivery) => Promise<void>;

/**
 * Topic → what applying it means. Topics without an entry yet (orders, refunds, customers: the
 * loyalty engine) stay recorded but unprocessed, visible as such in the admin, and are applied
 * when their handler ships because the job is retried from the stored payload.
 */
const HANDLERS: Partial<Record<string, DeliveryHandler>> = Object.fromEntries(
  COMPLIANCE_TOPICS.map((topic) => [topic, handleComplianceDelivery]),
);

/** Applies one recorded webhook delivery. Throws to make pg-boss retry; records the error first. */
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
  const handler = HANDLERS[delivery.topic];
  if (!handler) {
    logger.debug("no handler for topic yet", { topic: delivery.topic, deliveryId });
    return;
  }
  try {
    // The effect and the "processed" mark commit together: a crash in between redoes neither twice.
    await prisma.$transaction(async (tx) => {
      await handler(tx, delivery);
      await tx.webhookDelivery.updateMany({
        where: { id: deliveryId, shopId: delivery.shopId },
        data: { processedAt: new Date(), attempts: { increment: 1 }, lastError: null },
      });
    });
  } catch (error) {
    await prisma.webhookDelivery.updateMany({
      where: { id: deliveryId, shopId: delivery.shopId },
      data: {
        attempts: { increment: 1 },
        lastError: String((error as Error).message).slice(0, 2000),
      },
    });
    throw error;
  }
}
