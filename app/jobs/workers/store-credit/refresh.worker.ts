import type { PgBoss } from "pg-boss";
import prisma from "~/db.server";
import { logger } from "~/lib/logger.server";
import { offlineAdminCall } from "~/lib/offline-admin.server";
import {
  reconcileShopStoreCredit,
  refreshStoreCredit,
} from "~/services/store-credit/refresh.server";
import { QUEUES, type StoreCreditRefreshJob } from "../../queues/definitions";

/** Daily, after the night's other work: each installed shop's store credit mirrors checked. */
const RECONCILE_CRON = "40 5 * * *";

export async function registerStoreCreditRefreshJobs(boss: PgBoss) {
  await boss.work<StoreCreditRefreshJob>(QUEUES.storeCreditRefresh.name, async ([job]) => {
    if (!job) return;
    const { shopId, customerIds, orderId } = job.data;
    const report = await refreshStoreCredit(
      shopId,
      await offlineAdminCall(shopId),
      customerIds.map((id) => BigInt(id)),
      { orderId: orderId ? BigInt(orderId) : null },
    );
    logger.info("store credit refreshed", { shopId, ...report });
  });
  await boss.schedule(QUEUES.storeCreditReconcile.name, RECONCILE_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.storeCreditReconcile.name, async () => {
    const shops = await prisma.shop.findMany({
      where: { uninstalledAt: null, members: { some: { storeCreditCurrency: { not: null } } } },
      select: { id: true },
    });
    for (const { id } of shops) {
      try {
        const report = await reconcileShopStoreCredit(id, await offlineAdminCall(id));
        logger.info("store credit reconciled", { shopId: id, ...report });
      } catch (error) {
        // One shop without access (uninstalled meanwhile) does not stop the others.
        logger.warn("store credit reconciliation failed", {
          shopId: id,
          error: (error as Error).message.slice(0, 300),
        });
      }
    }
  });
}
