import prisma from "~/db.server";
import { flowTriggerRequest, parseStoredLoyaltyEvent } from "~/domain/events";
import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { fireFlowTrigger } from "~/integrations/flow/trigger.server";
import { logger } from "~/lib/logger.server";

/** After this many transport failures a delivery is marked failed (visible, retryable by hand). */
export const MAX_FLOW_ATTEMPTS = 10;

export interface FlowDeliveryReport {
  delivered: number;
  rejected: number;
  remaining: number;
}

/**
 * Sends the shop's pending Flow triggers, oldest first, one at a time (Flow sees them in order).
 * A transient failure stops the batch and rethrows, leaving the rest pending for the retry.
 */
export async function deliverPendingFlowTriggers(
  shopId: string,
  admin: AdminGraphql,
  batchSize = 50,
): Promise<FlowDeliveryReport> {
  const pending = await prisma.eventDelivery.findMany({
    where: { destination: "flow", state: "pending", event: { shopId } },
    include: { event: true },
    orderBy: [{ event: { occurredAt: "asc" } }, { eventId: "asc" }],
    take: batchSize,
  });
  const report: FlowDeliveryReport = { delivered: 0, rejected: 0, remaining: 0 };
  for (const delivery of pending) {
    const { event } = delivery;
    const where = { eventId_destination: { eventId: event.id, destination: "flow" } };
    const request = flowTriggerRequest(parseStoredLoyaltyEvent(event));
    if (!request) {
      await prisma.eventDelivery.update({ where, data: { state: "skipped" } });
      continue;
    }
    try {
      const result = await fireFlowTrigger(admin, request.handle, request.payload);
      const delivered = result.outcome === "delivered";
      await prisma.eventDelivery.update({
        where,
        data: {
          state: delivered ? "delivered" : "failed",
          attempts: { increment: 1 },
          deliveredAt: delivered ? new Date() : null,
          lastError: delivered ? null : result.message.slice(0, 2000),
        },
      });
      if (delivered) report.delivered++;
      else report.rejected++;
    } catch (error) {
      const attempts = delivery.attempts + 1;
      await prisma.eventDelivery.update({
        where,
        data: {
          attempts,
          lastError: String((error as Error).message).slice(0, 2000),
          state: attempts >= MAX_FLOW_ATTEMPTS ? "failed" : "pending",
        },
      });
      logger.warn("flow trigger not delivered, will retry", {
        shopId,
        eventId: event.id,
        attempts,
      });
      throw error;
    }
  }
  report.remaining = await prisma.eventDelivery.count({
    where: { destination: "flow", state: "pending", event: { shopId } },
  });
  return report;
}
