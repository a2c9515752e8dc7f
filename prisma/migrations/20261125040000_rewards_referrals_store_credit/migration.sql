-- Referral "same address" rule (ADR 0042): the fingerprint of the member's default address.
ALTER TABLE "Member" ADD COLUMN     "addressKey" TEXT;

-- Store credit needing review: who marked a row resolved, and when (ADR 0043).
ALTER TABLE "StoreCreditTransaction" ADD COLUMN     "resolvedAt" TIMESTAMP(3),
ADD COLUMN     "resolvedBy" TEXT;

-- "Invite a friend by email" (ADR 0042): one row per advocate, friend (email fingerprint) and day.
-- CreateTable
CREATE TABLE "ReferralInvite" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "advocateMemberId" UUID NOT NULL,
    "friendEmailKey" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralInvite_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReferralInvite_shopId_advocateMemberId_day_idx" ON "ReferralInvite"("shopId", "advocateMemberId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralInvite_shopId_advocateMemberId_friendEmailKey_day_key" ON "ReferralInvite"("shopId", "advocateMemberId", "friendEmailKey", "day");

-- AddForeignKey
ALTER TABLE "ReferralInvite" ADD CONSTRAINT "ReferralInvite_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Rewards granted without points (welcome, birthday, tier entry), issued by a job (ADR 0043).
-- CreateTable
CREATE TABLE "RewardGrant" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "customerId" BIGINT NOT NULL,
    "occasion" TEXT NOT NULL,
    "rewardHandle" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "redemptionId" UUID,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RewardGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RewardGrant_shopId_state_createdAt_idx" ON "RewardGrant"("shopId", "state", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RewardGrant_shopId_idempotencyKey_key" ON "RewardGrant"("shopId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "RewardGrant" ADD CONSTRAINT "RewardGrant_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

