import type { PgBoss } from "pg-boss";
import { logger } from "~/lib/logger.server";
import { fanOutCampaign } from "~/services/campaigns/campaign.server";
import { QUEUES, type RewardCampaignJob } from "../../queues/definitions";

export async function registerRewardCampaignJobs(boss: PgBoss) {
  await boss.work<RewardCampaignJob>(QUEUES.rewardCampaign.name, async ([job]) => {
    if (!job) return;
    const outcome = await fanOutCampaign(job.data.shopId, job.data.campaignId);
    logger.info("reward campaign fanned out", { ...job.data, ...outcome });
  });
}
