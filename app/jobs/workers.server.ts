import type { JobResult, PgBoss } from "pg-boss";
import { processWebhookDelivery } from "~/services/webhook-processing.server";
import { registerDailyJobs } from "./daily.server";
import { registerFlowDeliveryJobs } from "./flow-delivery.server";
import { registerKlaviyoJobs } from "./klaviyo.server";
import { registerRecomputeJobs } from "./recompute.server";
import { QUEUES, type WebhookJob } from "./queues";
import { registerReconciliationJobs } from "./reconciliation.server";
import { settleEach } from "./settle";
import { registerStorefrontJobs } from "./storefront.server";

/**
 * Webhook throughput (see bench/ and docs/decisions/0020): each fetch claims up to 8 deliveries
 * and applies them concurrently (a delivery's own transaction locks its member row, so two orders
 * of one customer still apply one after the other); a full batch fetches again at once instead of
 * waiting for the next poll. 8 stays under the Prisma pool's 10 connections: with more deliveries
 * in flight than connections, Prisma's 2 s wait for a transaction ran out under a backlog and
 * failed jobs that then waited for their retry (tests/reliability/worker-kill.test.ts saw it).
 */
export const WEBHOOK_WORK_OPTIONS = {
  batchSize: 8,
  localConcurrency: 1,
  pollingIntervalSeconds: 0.5,
  burstWhenBatchFull: true,
  perJobResults: true,
} as const;
import { registerRedemptionSweep } from "./redemption-sweep.server";
import { registerImportJobs } from "./import.server";
import { registerStoreCreditJobs } from "./store-credit.server";

/** Registers every queue's handler. A thrown error fails the job and pg-boss retries it with backoff. */
export async function registerWorkers(boss: PgBoss) {
  await boss.work<WebhookJob, JobResult[], typeof WEBHOOK_WORK_OPTIONS>(
    QUEUES.webhook.name,
    WEBHOOK_WORK_OPTIONS,
    (jobs) => settleEach(jobs, (job) => processWebhookDelivery(job.data.deliveryId)),
  );
  await registerDailyJobs(boss);
  await registerFlowDeliveryJobs(boss);
  await registerKlaviyoJobs(boss);
  await registerRecomputeJobs(boss);
  await registerReconciliationJobs(boss);
  await registerRedemptionSweep(boss);
  await registerStoreCreditJobs(boss);
  await registerImportJobs(boss);
  await registerStorefrontJobs(boss);
}
