import type { PgBoss } from "pg-boss";
import { logger } from "~/lib/logger.server";
import { offlineAdminCall } from "~/lib/offline-admin.server";
import { settleCampaigns } from "~/services/campaigns/campaign.server";
import {
  issuePendingGrants,
  shopsWithStalePendingGrants,
} from "~/services/rewards/grants/issue.server";
import { revokeUndoneGrants } from "~/services/rewards/grants/revoke.server";
import { QUEUES, type RewardGrantJob } from "../../queues/definitions";

const SWEEP_CRON = "*/15 * * * *";

export async function registerRewardGrantJobs(boss: PgBoss) {
  await boss.work<RewardGrantJob>(QUEUES.rewardGrant.name, async ([job]) => {
    if (!job) return;
    const api = await offlineAdminCall(job.data.shopId);
    const revoked = await revokeUndoneGrants(job.data.shopId, api);
    const report = await issuePendingGrants(job.data.shopId, api);
    logger.info("reward grants issued", { shopId: job.data.shopId, ...report, revoked });
    await settleCampaigns(job.data.shopId);
    // Time budget spent with grants left (a campaign to thousands): the next run carries on.
    if (report.more) await sendRewardGrant(boss, job.data.shopId);
    // Shopify was unavailable for some: fail the job so pg-boss retries it with backoff.
    const waiting = report.waiting + revoked.waiting;
    if (waiting > 0) throw new Error(`${waiting} reward grant(s) still pending`);
  });
  await boss.schedule(QUEUES.rewardGrantSweep.name, SWEEP_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.rewardGrantSweep.name, async () => {
    for (const shopId of await shopsWithStalePendingGrants()) await sendRewardGrant(boss, shopId);
  });
}

async function sendRewardGrant(boss: PgBoss, shopId: string) {
  await boss.send(QUEUES.rewardGrant.name, { shopId } satisfies RewardGrantJob, {
    ...QUEUES.rewardGrant.options,
    singletonKey: shopId,
    singletonSeconds: 2,
    singletonNextSlot: true,
  });
}
