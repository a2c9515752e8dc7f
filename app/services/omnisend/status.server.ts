import prisma from "~/db.server";
import { requestOmnisendDrain } from "~/jobs/queues/send.server";
import { deliveryOverview } from "../events/delivery-status.server";
import { HISTORY_NOT_SENT_TO_OMNISEND } from "../events/outbox.server";
import { BEFORE_CONNECTION } from "./connection.server";

export type OmnisendStatus = Awaited<ReturnType<typeof omnisendStatus>>;

/**
 * What the admin shows about a shop's Omnisend delivery: the connection (never the key), event
 * counts per state with the lag of the oldest waiting one, the events retrying or failed with
 * Omnisend's reason, and how many contacts are current, refused or unreachable.
 */
export async function omnisendStatus(shopId: string, now = new Date()) {
  const connection = await prisma.omnisendConnection.findUnique({
    where: { shopId },
    select: {
      status: true,
      statusReason: true,
      keyHint: true,
      connectedAt: true,
      pausedUntil: true,
      failureStreak: true,
      resyncRequestedAt: true,
    },
  });
  const overview = await deliveryOverview(shopId, "omnisend", now);
  const contactStates = await prisma.omnisendContactSync.groupBy({
    by: ["state"],
    where: { shopId },
    _count: { _all: true },
  });
  const contacts = { synced: 0, failed: 0, unreachable: 0 };
  for (const row of contactStates) {
    if (row.state in contacts) contacts[row.state as keyof typeof contacts] = row._count._all;
  }
  const members = await prisma.member.count({ where: { shopId, status: "active" } });
  const { timeZone } = await prisma.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { timeZone: true },
  });
  const paused = connection?.pausedUntil && connection.pausedUntil > now;
  // Skipped as history (before connecting, or imported), not for want of an email or phone.
  const historySkipped = await prisma.eventDelivery.count({
    where: {
      shopId,
      destination: "omnisend",
      state: "skipped",
      lastError: { in: [BEFORE_CONNECTION, HISTORY_NOT_SENT_TO_OMNISEND] },
    },
  });
  return {
    connection,
    /** Until when Omnisend asked to wait (a 429, an outage), and the shop's zone to show it in. */
    pause: paused ? { until: connection.pausedUntil!, timeZone } : null,
    events: { ...overview.counts, historySkipped },
    lagSeconds: overview.lagSeconds,
    problems: overview.problems,
    contacts: { ...contacts, members },
  };
}

/** "Retry failed": failed events go back to the queue, refused contacts are sent again. */
export async function retryFailedOmnisend(shopId: string): Promise<number> {
  const { count } = await prisma.eventDelivery.updateMany({
    where: { shopId, destination: "omnisend", state: "failed" },
    data: { state: "pending", nextAttemptAt: null },
  });
  await prisma.omnisendContactSync.deleteMany({ where: { shopId, state: "failed" } });
  await requestOmnisendDrain(shopId);
  return count;
}

/** "Sync now": every member's contact is sent again with current properties. */
export async function resyncOmnisendContacts(shopId: string, now = new Date()) {
  await prisma.omnisendConnection.update({
    where: { shopId },
    data: { resyncRequestedAt: now },
  });
  await requestOmnisendDrain(shopId);
  return prisma.member.count({ where: { shopId, status: "active" } });
}
