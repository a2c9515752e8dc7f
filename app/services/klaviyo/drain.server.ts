import prisma from "~/db.server";
import { listSyncDue } from "~/domain/klaviyo";
import { KlaviyoApiError } from "~/integrations/klaviyo";
import { sendSamples } from "./bootstrap.server";
import { connectedClient } from "./connection.server";
import { deliverPendingKlaviyoEvents, type EventDeliveryReport } from "./event-delivery.server";
import { recordFailure, type Pause } from "./pause.server";
import { updateSyncProgress } from "./sync-now.server";
import { syncMemberList, syncStaleProfiles, type ProfileSyncReport } from "./profile-sync.server";

export type DrainReport =
  | { state: "not_connected" }
  | { state: "paused"; pause: Pause; events?: EventDeliveryReport; profiles?: ProfileSyncReport }
  | {
      state: "done";
      events: EventDeliveryReport;
      backfill: EventDeliveryReport;
      profiles: ProfileSyncReport;
    };

/**
 * Everything a shop owes its Klaviyo account, in order: live events (flows fire), history queued by
 * a backfill (flows do not fire), then stale profile properties. Stops at the first push-back
 * (429, outage, revoked key) and says until when; the job scheduler comes back then.
 */
export async function drainKlaviyo(
  shopId: string,
  now: () => Date = () => new Date(),
): Promise<DrainReport> {
  const connection = await prisma.klaviyoConnection.findUnique({ where: { shopId } });
  const client = connectedClient(connection);
  if (!connection || !client) return { state: "not_connected" };
  if (connection.pausedUntil && connection.pausedUntil > now()) {
    return { state: "paused", pause: { until: connection.pausedUntil, reason: "waiting" } };
  }
  const events = await deliverPendingKlaviyoEvents(shopId, client, now, "pending");
  if (events.pause) return { state: "paused", pause: events.pause, events };
  const backfill = await deliverPendingKlaviyoEvents(shopId, client, now, "backfill");
  if (backfill.pause) return { state: "paused", pause: backfill.pause, events };
  try {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    if (!connection.bootstrappedAt) await sendSamples(connection, shop, client, now());
    const profiles = await syncStaleProfiles(connection, client, now);
    const fresh = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId } });
    const due = listSyncDue({
      now: now(),
      timeZone: shop.timeZone,
      hour: fresh.listSyncHour,
      lastSyncedAt: fresh.listSyncedAt,
      requestedAt: fresh.listSyncRequestedAt,
    });
    if (due) await syncMemberList(fresh, client, now);
    await updateSyncProgress(shopId);
    return { state: "done", events, backfill, profiles };
  } catch (error) {
    if (!(error instanceof KlaviyoApiError)) throw error;
    return { state: "paused", pause: await recordFailure(shopId, error, now(), []), events };
  }
}
