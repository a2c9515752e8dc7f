import { fromPrisma, type PgBoss } from "pg-boss";
import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { logger } from "~/lib/logger.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { getBoss } from "./runtime.server";
import { QUEUES, type KlaviyoDeliveryJob } from "./queues";
import { deferWakeup } from "./wakeups.server";

const SWEEP_CRON = "* * * * *";
/** How long this process trusts what it knows about which shops are connected. */
const CONNECTED_CACHE_MS = 10_000;

let connected: { shops: Set<string>; at: number } | null = null;

async function isConnected(tx: Prisma.TransactionClient, shopId: string) {
  if (!connected || Date.now() - connected.at > CONNECTED_CACHE_MS) {
    const rows = await tx.klaviyoConnection.findMany({
      where: { status: "connected" },
      select: { shopId: true },
    });
    connected = { shops: new Set(rows.map((r) => r.shopId)), at: Date.now() };
  }
  return connected.shops.has(shopId);
}

/** Forget the cached connection list (after connect/disconnect in this process). */
export function forgetConnectedShops() {
  connected = null;
}

/**
 * Queues the shop's Klaviyo drain in the caller's transaction (with the event), so an event is
 * on its way within seconds. Shops without Klaviyo skip the job; the minute sweep covers the rest.
 */
export async function queueKlaviyoDelivery(tx: Prisma.TransactionClient, shopId: string) {
  if (!(await isConnected(tx, shopId))) return;
  // Inside a batch of webhook deliveries: one wake-up per shop after the batch (ADR 0034).
  if (deferWakeup(QUEUES.klaviyoDelivery.name, shopId)) return;
  const boss = await getBoss();
  await boss.send(QUEUES.klaviyoDelivery.name, { shopId } satisfies KlaviyoDeliveryJob, {
    ...QUEUES.klaviyoDelivery.options,
    singletonKey: shopId,
    singletonSeconds: 2,
    singletonNextSlot: true,
    db: fromPrisma(tx),
  });
}

/** Queues a drain now, outside any transaction (connect, "Sync now", "Retry failed"). */
export async function requestKlaviyoDrain(shopId: string, startAfter?: Date) {
  forgetConnectedShops();
  const boss = await getBoss();
  await boss.send(QUEUES.klaviyoDelivery.name, { shopId } satisfies KlaviyoDeliveryJob, {
    ...QUEUES.klaviyoDelivery.options,
    singletonKey: shopId,
    ...(startAfter ? { startAfter } : {}),
  });
}

export async function registerKlaviyoJobs(boss: PgBoss) {
  await boss.work<KlaviyoDeliveryJob>(QUEUES.klaviyoDelivery.name, async ([job]) => {
    if (!job) return;
    const { shopId } = job.data;
    const report = await drainKlaviyo(shopId);
    logger.info("klaviyo drain", { shopId, state: report.state, ...summary(report) });
    if (report.state === "paused" && report.pause.until) {
      await boss.send(
        QUEUES.klaviyoDelivery.name,
        { shopId },
        {
          ...QUEUES.klaviyoDelivery.options,
          singletonKey: `${shopId}:resume`,
          startAfter: report.pause.until,
        },
      );
    }
  });
  await boss.schedule(QUEUES.klaviyoSweep.name, SWEEP_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.klaviyoSweep.name, async () => {
    const shops = await prisma.klaviyoConnection.findMany({
      where: { status: "connected" },
      select: { shopId: true },
    });
    for (const { shopId } of shops) {
      await boss.send(
        QUEUES.klaviyoDelivery.name,
        { shopId },
        {
          ...QUEUES.klaviyoDelivery.options,
          singletonKey: shopId,
          singletonSeconds: 2,
        },
      );
    }
  });
}

function summary(report: Awaited<ReturnType<typeof drainKlaviyo>>) {
  if (report.state === "not_connected") return {};
  if (report.state === "paused") {
    return {
      until: report.pause.until?.toISOString() ?? null,
      delivered: report.events?.delivered ?? 0,
    };
  }
  return {
    delivered: report.events.delivered + report.backfill.delivered,
    failed: report.events.failed + report.backfill.failed,
    profiles: report.profiles.synced,
    profileJobs: report.profiles.jobs,
  };
}
