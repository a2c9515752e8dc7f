import prisma from "~/db.server";

/** How many failed or retrying deliveries the admin lists (newest problems first). */
const PROBLEM_LIMIT = 50;

/**
 * What the admin shows about one destination's deliveries for a shop (Flow triggers, Klaviyo
 * events): counts per state, how many are retrying, the lag of the oldest waiting event, and the
 * newest failed or retrying deliveries with their attempts, reason and next attempt.
 */
export async function deliveryOverview(
  shopId: string,
  destination: "flow" | "klaviyo" | "omnisend",
  now = new Date(),
) {
  const grouped = await prisma.eventDelivery.groupBy({
    by: ["state"],
    where: { shopId, destination },
    _count: { _all: true },
  });
  const counts = { pending: 0, delivered: 0, failed: 0, skipped: 0, backfill: 0 };
  for (const row of grouped) {
    if (row.state in counts) counts[row.state as keyof typeof counts] = row._count._all;
  }
  const retrying = await prisma.eventDelivery.count({
    where: { shopId, destination, state: "pending", attempts: { gt: 0 } },
  });
  const oldest = await prisma.eventDelivery.findFirst({
    where: { shopId, destination, state: "pending" },
    orderBy: { event: { occurredAt: "asc" } },
    select: { event: { select: { occurredAt: true } } },
  });
  const problems = await prisma.eventDelivery.findMany({
    where: {
      shopId,
      destination,
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
    counts: { ...counts, retrying },
    lagSeconds: oldest
      ? Math.max(0, Math.round((now.getTime() - oldest.event.occurredAt.getTime()) / 1000))
      : 0,
    problems: problems.map((p) => ({
      eventId: p.eventId,
      type: p.event.type,
      customerId: p.event.customerId?.toString() ?? null,
      occurredAt: p.event.occurredAt,
      state: p.state === "failed" ? ("failed" as const) : ("retrying" as const),
      attempts: p.attempts,
      reason: p.lastError,
      nextAttemptAt: p.nextAttemptAt,
      updatedAt: p.updatedAt,
    })),
  };
}
