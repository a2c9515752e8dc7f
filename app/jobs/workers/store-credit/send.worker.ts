import type { PgBoss } from "pg-boss";
import { logger } from "~/lib/logger.server";
import { offlineAdminCall } from "~/lib/offline-admin.server";
import { sendStoreCredit, shopsWithStoreCreditWork } from "~/services/store-credit/send.server";
import { QUEUES, type StoreCreditSendJob } from "../../queues/definitions";

const SWEEP_CRON = "* * * * *";

export async function registerStoreCreditJobs(boss: PgBoss) {
  await boss.work<StoreCreditSendJob>(QUEUES.storeCreditSend.name, async ([job]) => {
    if (!job) return;
    const report = await sendStoreCredit(job.data.shopId, await offlineAdminCall(job.data.shopId));
    logger.info("store credit sent", { shopId: job.data.shopId, ...report });
  });
  // Throttled rows, lost answers and shops without a session wait for this sweep.
  await boss.schedule(QUEUES.storeCreditSweep.name, SWEEP_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.storeCreditSweep.name, async () => {
    for (const shopId of await shopsWithStoreCreditWork()) {
      await boss.send(
        QUEUES.storeCreditSend.name,
        { shopId },
        { singletonKey: shopId, singletonSeconds: 2 },
      );
    }
  });
}
