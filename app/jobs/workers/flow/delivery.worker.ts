import type { PgBoss } from "pg-boss";
import prisma from "~/db.server";
import { logger } from "~/lib/logger.server";
import { deliverPendingFlowTriggers } from "~/services/flow/delivery.server";
import { unauthenticated } from "~/shopify.server";
import { requestFlowDelivery } from "../../queues/send.server";
import { QUEUES, type FlowDeliveryJob } from "../../queues/definitions";

const SWEEP_CRON = "* * * * *";

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
