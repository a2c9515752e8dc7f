import prisma from "~/db.server";
import { isUniqueViolation } from "~/db/errors";
import { requestKlaviyoDrain } from "~/jobs/queues/send.server";
import { LoyaltyError } from "../errors";
import { hasStaleProfiles } from "./profile-sync.server";

/**
 * "Sync now" (catalog §5): every member's profile properties are sent again, and optionally the
 * events recorded before Klaviyo was connected, as backfill (Klaviyo records them without firing
 * flows). One run at a time per shop; a second request returns the running one.
 */
export async function startKlaviyoSync(
  shopId: string,
  options: { includeEvents: boolean },
  now = new Date(),
) {
  const connection = await prisma.klaviyoConnection.findUnique({ where: { shopId } });
  if (connection?.status !== "connected") {
    throw new LoyaltyError("klaviyo_not_connected", "Connect Klaviyo before syncing");
  }
  try {
    const run = await prisma.$transaction(async (tx) => {
      const profilesTotal = await tx.member.count({ where: { shopId, status: "active" } });
      const history = options.includeEvents
        ? await tx.eventDelivery.updateMany({
            where: { shopId, destination: "klaviyo", state: "skipped" },
            data: { state: "backfill", nextAttemptAt: null, lastError: null },
          })
        : { count: 0 };
      await tx.klaviyoConnection.update({ where: { shopId }, data: { resyncRequestedAt: now } });
      return tx.klaviyoSyncRun.create({
        data: {
          shopId,
          includeEvents: options.includeEvents,
          profilesTotal,
          eventsTotal: history.count,
          startedAt: now,
        },
      });
    });
    await requestKlaviyoDrain(shopId);
    return run;
  } catch (error) {
    const running = isUniqueViolation(error)
      ? await prisma.klaviyoSyncRun.findFirst({ where: { shopId, state: "running" } })
      : null;
    if (running) return running;
    throw error;
  }
}

/** Brings the running "Sync now" up to date with what the drain sent; finishes it when all went. */
export async function updateSyncProgress(shopId: string) {
  const run = await prisma.klaviyoSyncRun.findFirst({ where: { shopId, state: "running" } });
  if (!run) return;
  // Read now, not from the drain's start: a "Sync now" clicked during a drain moved it.
  const { resyncRequestedAt } = await prisma.klaviyoConnection.findUniqueOrThrow({
    where: { shopId },
    select: { resyncRequestedAt: true },
  });
  const profilesDone = await prisma.klaviyoProfileSync.count({
    where: { shopId, syncedAt: { gte: run.startedAt } },
  });
  const backfillLeft = await prisma.eventDelivery.count({
    where: { shopId, destination: "klaviyo", state: "backfill" },
  });
  const finished = backfillLeft === 0 && !(await hasStaleProfiles(shopId, resyncRequestedAt));
  await prisma.klaviyoSyncRun.update({
    where: { id: run.id },
    data: {
      profilesDone: Math.min(profilesDone, run.profilesTotal),
      eventsDone: run.eventsTotal - backfillLeft,
      ...(finished ? { state: "done", finishedAt: new Date() } : {}),
    },
  });
}

/** The daily list sync hour (shop time, 0–23), or null to turn it off. */
export async function setListSyncHour(shopId: string, hour: number | null) {
  if (hour !== null && !(Number.isInteger(hour) && hour >= 0 && hour <= 23)) {
    throw new LoyaltyError("invalid_input", "The list sync hour is a whole hour from 0 to 23");
  }
  const { count } = await prisma.klaviyoConnection.updateMany({
    where: { shopId },
    data: { listSyncHour: hour },
  });
  if (count === 0) throw new LoyaltyError("klaviyo_not_connected", "Connect Klaviyo first");
}

/** "Sync list now": the next drain imports every active member into the list. */
export async function requestListSync(shopId: string, now = new Date()) {
  const { count } = await prisma.klaviyoConnection.updateMany({
    where: { shopId, status: "connected" },
    data: { listSyncRequestedAt: now },
  });
  if (count === 0) throw new LoyaltyError("klaviyo_not_connected", "Connect Klaviyo first");
  await requestKlaviyoDrain(shopId);
}
