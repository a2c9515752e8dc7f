import type { JobResult, PgBoss } from "pg-boss";
import { processWebhookDelivery } from "~/services/webhooks/processing.server";
import { registerDailyJobs } from "./daily/daily.worker";
import { registerFlowDeliveryJobs } from "./flow/delivery.worker";
import { registerHistoryImportJobs } from "./history-import/import.worker";
import { registerImportJobs } from "./import-export/apply.worker";
import { registerKlaviyoJobs } from "./klaviyo/delivery.worker";
import { registerOmnisendJobs } from "./omnisend/delivery.worker";
import { registerRecomputeJobs } from "./recompute/recompute.worker";
import { QUEUES, type WebhookJob } from "../queues/definitions";
import { registerReconciliationJobs } from "./ledger/reconcile.worker";
import { registerRedemptionSweep } from "./rewards/redemption-sweep.worker";
import { registerRewardCampaignJobs } from "./campaigns/campaign.worker";
import { registerRewardGrantJobs } from "./rewards/grant.worker";
import { settleEach } from "./settle";
import { registerStoreCreditRefreshJobs } from "./store-credit/refresh.worker";
import { registerStoreCreditJobs } from "./store-credit/send.worker";
import { registerStorefrontJobs } from "./storefront/publish.worker";
import { startWebhookClaims } from "./webhooks/claims.worker";

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
  await registerOmnisendJobs(boss);
  await registerRecomputeJobs(boss);
  await registerReconciliationJobs(boss);
  await registerRedemptionSweep(boss);
  await registerRewardGrantJobs(boss);
  await registerRewardCampaignJobs(boss);
  await registerStoreCreditJobs(boss);
  await registerStoreCreditRefreshJobs(boss);
  await registerImportJobs(boss);
  await registerHistoryImportJobs(boss);
  await registerStorefrontJobs(boss);
}
