import { fromPrisma, type PgBoss } from "pg-boss";
import type { Prisma } from "@prisma/client";
import { logger } from "~/lib/logger.server";
import { fanOutCampaign } from "~/services/reward-campaigns.server";
import { QUEUES, type RewardCampaignJob } from "./queues";
import { getBoss } from "./runtime.server";

/** Queues a campaign's fan-out, in the caller's transaction (with the campaign row). */
export async function queueRewardCampaign(tx: Prisma.TransactionClient, job: RewardCampaignJob) {
  const boss = await getBoss();
  await boss.send(QUEUES.rewardCampaign.name, job, {
    ...QUEUES.rewardCampaign.options,
    singletonKey: job.campaignId,
    db: fromPrisma(tx),
  });
}

export async function registerRewardCampaignJobs(boss: PgBoss) {
  await boss.work<RewardCampaignJob>(QUEUES.rewardCampaign.name, async ([job]) => {
    if (!job) return;
    const outcome = await fanOutCampaign(job.data.shopId, job.data.campaignId);
    logger.info("reward campaign fanned out", { ...job.data, ...outcome });
  });
}
