-- A one-time campaign gives points or a reward (issue #21, ADR 0063): a campaign of points has no
-- reward handle, and credits the segment page by page, resuming after the last credited member.
ALTER TABLE "RewardCampaign" ALTER COLUMN "rewardHandle" DROP NOT NULL;
ALTER TABLE "RewardCampaign" ADD COLUMN "points" INTEGER;
ALTER TABLE "RewardCampaign" ADD COLUMN "creditedMembers" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RewardCampaign" ADD COLUMN "creditedThroughCustomerId" BIGINT;
-- Exactly one of the two gifts: a row with both or neither is a bug, not a campaign.
ALTER TABLE "RewardCampaign" ADD CONSTRAINT "RewardCampaign_gives_one_thing"
  CHECK (("rewardHandle" IS NULL) <> ("points" IS NULL));
