import type { PgBoss } from "pg-boss";
import { processWebhookDelivery } from "~/services/webhook-processing.server";
import { registerDailyJobs } from "./daily.server";
import { registerFlowDeliveryJobs } from "./flow-delivery.server";
import { QUEUES, type WebhookJob } from "./queues";
import { registerRedemptionSweep } from "./redemption-sweep.server";

/** Registers every queue's handler. A thrown error fails the job and pg-boss retries it with backoff. */
export async function registerWorkers(boss: PgBoss) {
  await boss.work<WebhookJob>(
    QUEUES.webhook.name,
    { batchSize: 10, pollingIntervalSeconds: 0.5 },
    async (jobs) => {
      for (const job of jobs) await processWebhookDelivery(job.data.deliveryId);
    },
  );
  await registerDailyJobs(boss);
  await registerFlowDeliveryJobs(boss);
  await registerRedemptionSweep(boss);
}
