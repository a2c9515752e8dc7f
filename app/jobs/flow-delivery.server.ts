import { fromPrisma, type PgBoss } from "pg-boss";
import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { logger } from "~/lib/logger.server";
import { deliverPendingFlowTriggers } from "~/services/flow-delivery.server";
import { unauthenticated } from "~/shopify.server";
import { getBoss } from "./runtime.server";
import { QUEUES, type FlowDeliveryJob } from "./queues";
import { deferWakeup } from "./wakeups.server";

const SWEEP_CRON = "* * * * *";

/**
 * Queues delivery of the shop's Flow triggers in the caller's transaction (with the event). The
 * singleton slot keeps at most one waiting job per shop however many events a burst writes.
 */
export async function queueFlowDelivery(tx: Prisma.TransactionClient, shopId: string) {
  // Inside a batch of webhook deliveries: one wake-up per shop after the batch (ADR 0034).
  if (deferWakeup(QUEUES.flowDelivery.name, shopId)) return;
  const boss = await getBoss();
  const job: FlowDeliveryJob = { shopId };
  await boss.send(QUEUES.flowDelivery.name, job, {
    ...QUEUES.flowDelivery.options,
    singletonKey: shopId,
    singletonSeconds: 2,
    singletonNextSlot: true,
    db: fromPrisma(tx),
  });
}

export async function registerFlowDeliveryJobs(boss: PgBoss) {
  await boss.work<FlowDeliveryJob>(QUEUES.flowDelivery.name, async ([job]) => {
    if (job) await deliverForShop(boss, job.data.shopId);
  });
  await boss.schedule(QUEUES.flowSweep.name, SWEEP_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.flowSweep.name, async () => {
    const shops = await prisma.loyaltyEvent.findMany({
      where: { deliveries: { some: { destination: "flow", state: "pending" } } },
      distinct: ["shopId"],
      select: { shopId: true },
    });
    for (const { shopId } of shops) {
      await boss.send(
        QUEUES.flowDelivery.name,
        { shopId },
        { singletonKey: shopId, singletonSeconds: 2 },
      );
    }
  });
}

async function deliverForShop(boss: PgBoss, shopId: string) {
  const shop = await prisma.shop.findUnique({
    where: { id: shopId },
    select: { domain: true, uninstalledAt: true },
  });
  if (!shop || shop.uninstalledAt) return;
  let admin;
  try {
    ({ admin } = await unauthenticated.admin(shop.domain));
  } catch (error) {
    // No offline session yet (or any more): the triggers wait; the sweep tries again later.
    logger.info("flow delivery waiting for a session", { shop: shop.domain, error: String(error) });
    return;
  }
  const report = await deliverPendingFlowTriggers(shopId, admin);
  logger.info("flow triggers delivered", {
    shop: shop.domain,
    ...report,
    waitUntil: report.waitUntil?.toISOString() ?? null,
  });
  if (report.waitUntil) {
    // A failed trigger is retried by its nextAttemptAt (visible in the admin), not by failing
    // the job: the job succeeds and comes back when the trigger is due.
    await requestFlowDelivery(shopId, report.waitUntil);
  } else if (report.remaining > 0) {
    await boss.send(
      QUEUES.flowDelivery.name,
      { shopId },
      { singletonKey: shopId, singletonSeconds: 2, singletonNextSlot: true },
    );
  }
}

/** Queues delivery now or at `startAfter`, outside any transaction (retries, "Retry failed"). */
export async function requestFlowDelivery(shopId: string, startAfter?: Date) {
  const boss = await getBoss();
  await boss.send(QUEUES.flowDelivery.name, { shopId } satisfies FlowDeliveryJob, {
    ...QUEUES.flowDelivery.options,
    singletonKey: startAfter ? `${shopId}:retry` : shopId,
    ...(startAfter ? { startAfter } : {}),
  });
}
