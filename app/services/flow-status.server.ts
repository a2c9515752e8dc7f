import prisma from "~/db.server";
import { flowSettings, FLOW_OFF_REASON, RESEND_WINDOW_MS } from "./flow-settings.server";

/** How many failed or retrying deliveries the admin lists (newest problems first). */
const PROBLEM_LIMIT = 50;

export type FlowStatus = Awaited<ReturnType<typeof flowStatus>>;

/**
 * Everything the admin shows about a shop's Flow trigger delivery (issue #6), like Klaviyo's:
 * the switch, counts per delivery state, the lag of the oldest waiting trigger, the triggers that
 * are retrying (attempts, Shopify's reason, next attempt) or failed, and how many skipped ones
 * "Send skipped" would queue again.
 */
export async function flowStatus(shopId: string, now = new Date()) {
  const settings = await flowSettings(shopId);
  const grouped = await prisma.eventDelivery.groupBy({
    by: ["state"],
    where: { shopId, destination: "flow" },
    _count: { _all: true },
  });
  const counts = { pending: 0, delivered: 0, failed: 0, skipped: 0 };
  for (const row of grouped) {
    if (row.state in counts) counts[row.state as keyof typeof counts] = row._count._all;
  }
  const retrying = await prisma.eventDelivery.count({
    where: { shopId, destination: "flow", state: "pending", attempts: { gt: 0 } },
  });
  const resendable = await prisma.eventDelivery.count({
    where: {
      shopId,
      destination: "flow",
      state: "skipped",
      lastError: FLOW_OFF_REASON,
      event: { occurredAt: { gte: new Date(now.getTime() - RESEND_WINDOW_MS) } },
    },
  });
  const oldest = await prisma.eventDelivery.findFirst({
    where: { shopId, destination: "flow", state: "pending" },
    orderBy: { event: { occurredAt: "asc" } },
    select: { event: { select: { occurredAt: true } } },
  });
  const problems = await prisma.eventDelivery.findMany({
    where: {
      shopId,
      destination: "flow",
      OR: [{ state: "failed" }, { state: "pending", attempts: { gt: 0 } }],
    },
    orderBy: { updatedAt: "desc" },
    take: PROBLEM_LIMIT,
    select: {
      eventId: true,
      state: true,
      attempts: true,
      lastError: true,
      nextAttemptAt: true,
      updatedAt: true,
      event: { select: { type: true, customerId: true, occurredAt: true } },
    },
  });
  return {
    settings,
    triggers: { ...counts, retrying, resendable },
    lagSeconds: oldest
      ? Math.max(0, Math.round((now.getTime() - oldest.event.occurredAt.getTime()) / 1000))
      : 0,
    problems: problems.map((p) => ({
      eventId: p.eventId,
      type: p.event.type,
      customerId: p.event.customerId.toString(),
      occurredAt: p.event.occurredAt,
      state: p.state === "failed" ? ("failed" as const) : ("retrying" as const),
      attempts: p.attempts,
      reason: p.lastError,
      nextAttemptAt: p.nextAttemptAt,
      updatedAt: p.updatedAt,
    })),
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
