import { fromPrisma, type PgBoss } from "pg-boss";
import type { Prisma } from "@prisma/client";
import { logger } from "~/lib/logger.server";
import { offlineAdminCall } from "~/lib/offline-admin.server";
import { sendStoreCredit, shopsWithStoreCreditWork } from "~/services/store-credit/send.server";
import { getBoss } from "./runtime.server";
import { QUEUES, type StoreCreditSendJob } from "./queues";
import { deferWakeup } from "./wakeups.server";

const SWEEP_CRON = "* * * * *";

/** Queues sending the shop's cashback rows, in the caller's transaction (with the rows). */
export async function queueStoreCreditSend(tx: Prisma.TransactionClient, shopId: string) {
  // Inside a batch of webhook deliveries: one wake-up per shop after the batch (ADR 0034, 0037;
  // the minute sweep sends it if the process dies first).
  if (deferWakeup(QUEUES.storeCreditSend.name, shopId)) return;
  const boss = await getBoss();
  await boss.send(QUEUES.storeCreditSend.name, { shopId } satisfies StoreCreditSendJob, {
    ...QUEUES.storeCreditSend.options,
    singletonKey: shopId,
    singletonSeconds: 2,
    singletonNextSlot: true,
    db: fromPrisma(tx),
  });
}

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
