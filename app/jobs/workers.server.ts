import type { JobResult, PgBoss } from "pg-boss";
import { processWebhookDelivery } from "~/services/webhook-processing.server";
import { registerDailyJobs } from "./daily.server";
import { registerFlowDeliveryJobs } from "./flow-delivery.server";
import { registerImportJobs } from "./import.server";
import { registerKlaviyoJobs } from "./klaviyo.server";
import { registerRecomputeJobs } from "./recompute.server";
import { QUEUES, type WebhookJob } from "./queues";
import { registerReconciliationJobs } from "./reconciliation.server";
import { registerRedemptionSweep } from "./redemption-sweep.server";
import { registerRewardCampaignJobs } from "./reward-campaign.server";
import { registerRewardGrantJobs } from "./reward-grant.server";
import { settleEach } from "./settle";
import { registerStoreCreditJobs } from "./store-credit.server";
import { registerStorefrontJobs } from "./storefront.server";
import { startWebhookClaims } from "./webhook-claims.server";

/**
 * Jobs queued per webhook before deliveries were claimed from their table (ADR 0034): drained by a
 * small worker so a deploy loses none; new deliveries queue no job.
 */
const LEGACY_WEBHOOK_WORK_OPTIONS = {
  batchSize: 4,
  localConcurrency: 1,
  pollingIntervalSeconds: 5,
  perJobResults: true,
} as const;

/** Registers every queue's handler. A thrown error fails the job and pg-boss retries it with backoff. */
export async function registerWorkers(boss: PgBoss) {
  startWebhookClaims();
  await boss.work<WebhookJob, JobResult[], typeof LEGACY_WEBHOOK_WORK_OPTIONS>(
    QUEUES.webhook.name,
    LEGACY_WEBHOOK_WORK_OPTIONS,
    (jobs) => settleEach(jobs, (job) => processWebhookDelivery(job.data.deliveryId)),
  );
  await registerDailyJobs(boss);
  await registerFlowDeliveryJobs(boss);
  await registerKlaviyoJobs(boss);
  await registerRecomputeJobs(boss);
  await registerReconciliationJobs(boss);
  await registerRedemptionSweep(boss);
  await registerRewardGrantJobs(boss);
  await registerRewardCampaignJobs(boss);
  await registerStoreCreditJobs(boss);
  await registerImportJobs(boss);
  await registerStorefrontJobs(boss);
}
