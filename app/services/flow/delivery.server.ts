import type { LoyaltyEvent } from "@prisma/client";
import prisma from "~/db.server";
import { flowTriggerRequest, parseStoredLoyaltyEvent } from "~/domain/events/index";
import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { ShopifyGraphqlError } from "~/integrations/shopify/admin-client.server";
import { fireFlowTrigger } from "~/integrations/flow/trigger.server";
import { logger } from "~/lib/logger.server";
import {
  claimFlowDelivery,
  FLOW_OFF_REASON,
  flowSettings,
  releaseFlowDelivery,
} from "./settings.server";

/** After this many transport failures a delivery is marked failed (visible, retryable by hand). */
export const MAX_FLOW_ATTEMPTS = 10;
/** Shopify's bucket refills within seconds; a throttled trigger is not a failed attempt. */
const THROTTLE_WAIT_MS = 2_000;
const FIRST_BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 15 * 60_000;

/** 10 s, 20 s, 40 s … capped at 15 minutes: with 10 attempts an outage of about an hour fails. */
export function flowBackoffMs(attempts: number): number {
  return Math.min(FIRST_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

export interface FlowDeliveryReport {
  delivered: number;
  rejected: number;
  /** Deliveries marked skipped because the shop has Flow delivery off. */
  skipped: number;
  remaining: number;
  /** Set when the oldest waiting trigger is not due yet: nothing is sent before then. */
  waitUntil: Date | null;
}

/**
 * Sends the shop's pending Flow triggers, oldest first, one at a time (Flow sees them in order).
 * A transient failure stops the batch: the trigger that failed records the attempt, the reason and
 * when it is due again (nextAttemptAt), and every later trigger waits behind it. With Flow off,
 * waiting triggers are marked skipped instead (ADR 0025).
 */
export async function deliverPendingFlowTriggers(
  shopId: string,
  admin: AdminGraphql,
  batchSize = 50,
  now: () => Date = () => new Date(),
): Promise<FlowDeliveryReport> {
  const report: FlowDeliveryReport = {
    delivered: 0,
    rejected: 0,
    skipped: 0,
    remaining: 0,
    waitUntil: null,
  };
  if (!(await flowSettings(shopId)).enabled) {
    report.skipped = await skipPending(shopId);
    return report;
  }
  // Another run is sending this shop's triggers; it queues the next run itself if more are left.
  if (!(await claimFlowDelivery(shopId, now()))) return report;
  try {
    await sendDue(shopId, admin, batchSize, now, report);
  } finally {
    await releaseFlowDelivery(shopId);
  }
  report.remaining = await prisma.eventDelivery.count({
    where: { shopId, destination: "flow", state: "pending" },
  });
  return report;
}

async function sendDue(
  shopId: string,
  admin: AdminGraphql,
  batchSize: number,
  now: () => Date,
  report: FlowDeliveryReport,
) {
  const pending = await prisma.eventDelivery.findMany({
    where: { shopId, destination: "flow", state: "pending" },
    include: { event: true },
    orderBy: [{ event: { occurredAt: "asc" } }, { eventId: "asc" }],
    take: batchSize,
  });
  for (const delivery of pending) {
    if (delivery.nextAttemptAt && delivery.nextAttemptAt > now()) {
      report.waitUntil = delivery.nextAttemptAt;
      break;
    }
    const { event } = delivery;
    const where = { eventId_destination: { eventId: event.id, destination: "flow" } };
    let request;
    try {
      request = triggerRequestOf(event);
    } catch (error) {
      // An event the catalog no longer accepts can never be sent: it fails visibly, not blocks.
      await prisma.eventDelivery.update({
        where,
        data: { state: "failed", lastError: String((error as Error).message).slice(0, 2000) },
      });
      report.rejected++;
      continue;
    }
    if (!request) {
      await prisma.eventDelivery.update({ where, data: { state: "skipped" } });
      continue;
    }
    // The batch was read a moment ago: Flow may have been turned off since (the switch marked the
    // rest skipped). Only a trigger still waiting is sent.
    if (!(await stillWaiting(event.id))) continue;
    try {
      const result = await fireFlowTrigger(admin, request.handle, request.payload);
      const delivered = result.outcome === "delivered";
      await prisma.eventDelivery.update({
        where,
        data: {
          state: delivered ? "delivered" : "failed",
          attempts: { increment: 1 },
          deliveredAt: delivered ? now() : null,
          lastError: delivered ? null : result.message.slice(0, 2000),
          nextAttemptAt: null,
        },
      });
      if (delivered) report.delivered++;
      else report.rejected++;
    } catch (error) {
      report.waitUntil = await recordTransientFailure(delivery, error as Error, now());
      logger.warn("flow trigger not delivered, will retry", {
        shopId,
        eventId: event.id,
        until: report.waitUntil?.toISOString() ?? null,
      });
      break;
    }
  }
}

function triggerRequestOf(event: LoyaltyEvent) {
  return flowTriggerRequest(parseStoredLoyaltyEvent(event));
}

/** Returns when the trigger is due again, or null when it has now failed for good. */
async function recordTransientFailure(
  delivery: { eventId: string; attempts: number },
  error: Error,
  now: Date,
): Promise<Date | null> {
  const throttled = error instanceof ShopifyGraphqlError && error.throttled;
  const attempts = throttled ? delivery.attempts : delivery.attempts + 1;
  const failed = attempts >= MAX_FLOW_ATTEMPTS;
  const nextAttemptAt = failed
    ? null
    : new Date(now.getTime() + (throttled ? THROTTLE_WAIT_MS : flowBackoffMs(attempts)));
  await prisma.eventDelivery.update({
    where: { eventId_destination: { eventId: delivery.eventId, destination: "flow" } },
    data: {
      attempts,
      lastError: String(error.message).slice(0, 2000),
      state: failed ? "failed" : "pending",
      nextAttemptAt,
    },
  });
  return nextAttemptAt;
}

async function stillWaiting(eventId: string): Promise<boolean> {
  const row = await prisma.eventDelivery.findUnique({
    where: { eventId_destination: { eventId, destination: "flow" } },
    select: { state: true },
  });
  return row?.state === "pending";
}

async function skipPending(shopId: string): Promise<number> {
  const { count } = await prisma.eventDelivery.updateMany({
    where: { shopId, destination: "flow", state: "pending" },
    data: { state: "skipped", lastError: FLOW_OFF_REASON, nextAttemptAt: null },
  });
  return count;
}
