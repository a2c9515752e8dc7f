import prisma from "~/db.server";

/** How many failed or retrying deliveries the admin lists (newest problems first). */
const PROBLEM_LIMIT = 50;

export type KlaviyoStatus = Awaited<ReturnType<typeof klaviyoStatus>>;

/**
 * Everything the admin shows about a shop's Klaviyo delivery (issue #5 "Visibility"): the
 * connection (never the key), counts per delivery state, the lag of the oldest waiting event, the
 * deliveries that are retrying or failed with Klaviyo's reason, profile sync and backfill progress.
 */
export async function klaviyoStatus(shopId: string, now = new Date()) {
  const connection = await prisma.klaviyoConnection.findUnique({
    where: { shopId },
    select: {
      status: true,
      statusReason: true,
      credentialHint: true,
      accountId: true,
      accountName: true,
      propertyPrefix: true,
      connectedAt: true,
      pausedUntil: true,
      failureStreak: true,
      bootstrappedAt: true,
      listId: true,
      listSyncHour: true,
      listSyncedAt: true,
    },
  });
  const grouped = await prisma.eventDelivery.groupBy({
    by: ["state"],
    where: { shopId, destination: "klaviyo" },
    _count: { _all: true },
  });
  const counts = { pending: 0, delivered: 0, failed: 0, skipped: 0, backfill: 0 };
  for (const row of grouped) {
    if (row.state in counts) counts[row.state as keyof typeof counts] = row._count._all;
  }
  const retrying = await prisma.eventDelivery.count({
    where: { shopId, destination: "klaviyo", state: "pending", attempts: { gt: 0 } },
  });
  const oldest = await prisma.eventDelivery.findFirst({
    where: { shopId, destination: "klaviyo", state: "pending" },
    orderBy: { event: { occurredAt: "asc" } },
    select: { event: { select: { occurredAt: true } } },
  });
  const problems = await prisma.eventDelivery.findMany({
    where: {
      shopId,
      destination: "klaviyo",
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
  const profileStates = await prisma.klaviyoProfileSync.groupBy({
    by: ["state"],
    where: { shopId },
    _count: { _all: true },
  });
  const latestRun = await prisma.klaviyoSyncRun.findFirst({
    where: { shopId },
    orderBy: { startedAt: "desc" },
  });
  return {
    connection,
    events: { ...counts, retrying },
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
    })),
    profiles: Object.fromEntries(
      profileStates.map((row) => [row.state, row._count._all]),
    ) as Record<string, number>,
    latestRun,
  };
}

/** "Retry failed": failed deliveries go back to the queue; returns how many. */
export async function retryFailedKlaviyoEvents(shopId: string): Promise<number> {
  const { count } = await prisma.eventDelivery.updateMany({
    where: { shopId, destination: "klaviyo", state: "failed" },
    data: { state: "pending", nextAttemptAt: null },
  });
  await prisma.klaviyoProfileSync.deleteMany({ where: { shopId, state: "failed" } });
  return count;
}
