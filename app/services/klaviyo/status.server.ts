import prisma from "~/db.server";
import { deliveryOverview } from "../events/delivery-status.server";

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
      authKind: true,
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
  const overview = await deliveryOverview(shopId, "klaviyo", now);
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
    events: overview.counts,
    lagSeconds: overview.lagSeconds,
    problems: overview.problems,
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
