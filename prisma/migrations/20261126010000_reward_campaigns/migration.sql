-- AlterTable
ALTER TABLE "RewardGrant" ADD COLUMN     "campaignId" UUID;

-- CreateTable
CREATE TABLE "RewardCampaign" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "rewardHandle" TEXT NOT NULL,
    "segment" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "matchedMembers" INTEGER,
    "lastError" TEXT,
    "requestKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "grantedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RewardCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RewardCampaign_shopId_createdAt_idx" ON "RewardCampaign"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RewardCampaign_shopId_requestKey_key" ON "RewardCampaign"("shopId", "requestKey");

-- CreateIndex
CREATE INDEX "RewardGrant_shopId_campaignId_state_idx" ON "RewardGrant"("shopId", "campaignId", "state");

-- AddForeignKey
ALTER TABLE "RewardCampaign" ADD CONSTRAINT "RewardCampaign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

