import prisma from "~/db.server";
import { deliveryOverview } from "../events/delivery-status.server";
import { flowSettings, FLOW_OFF_REASON, RESEND_WINDOW_MS } from "./settings.server";

export type FlowStatus = Awaited<ReturnType<typeof flowStatus>>;

/**
 * Everything the admin shows about a shop's Flow trigger delivery (issue #6), like Klaviyo's:
 * the switch, counts per delivery state, the lag of the oldest waiting trigger, the triggers that
 * are retrying (attempts, Shopify's reason, next attempt) or failed, and how many skipped ones
 * "Send skipped" would queue again.
 */
export async function flowStatus(shopId: string, now = new Date()) {
  const settings = await flowSettings(shopId);
  const overview = await deliveryOverview(shopId, "flow", now);
  const resendable = await prisma.eventDelivery.count({
    where: {
      shopId,
      destination: "flow",
      state: "skipped",
      lastError: FLOW_OFF_REASON,
      event: { occurredAt: { gte: new Date(now.getTime() - RESEND_WINDOW_MS) } },
    },
  });
  return {
    settings,
    triggers: { ...overview.counts, resendable },
    lagSeconds: overview.lagSeconds,
    problems: overview.problems,
  };
}

/** "Retry failed": failed triggers go back to the queue with fresh attempts; returns how many. */
export async function retryFailedFlowTriggers(shopId: string): Promise<number> {
  const { count } = await prisma.eventDelivery.updateMany({
    where: { shopId, destination: "flow", state: "failed" },
    data: { state: "pending", attempts: 0, nextAttemptAt: null },
  });
  return count;
}
