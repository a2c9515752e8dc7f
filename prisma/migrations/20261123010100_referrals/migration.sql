-- CreateTable
CREATE TABLE "ReferralProgram" (
    "shopId" UUID NOT NULL,
    "config" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReferralProgram_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "ReferralCode" (
    "shopId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralCode_pkey" PRIMARY KEY ("shopId","memberId")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "advocateMemberId" UUID NOT NULL,
    "friendMemberId" UUID NOT NULL,
    "friendCustomerId" BIGINT NOT NULL,
    "code" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "friendRedemptionId" UUID,
    "orderId" BIGINT,
    "pointsAwarded" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralRejection" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "advocateMemberId" UUID,
    "friendCustomerId" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralRejection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReferralCode_shopId_code_key" ON "ReferralCode"("shopId", "code");

-- CreateIndex
CREATE INDEX "Referral_shopId_advocateMemberId_createdAt_idx" ON "Referral"("shopId", "advocateMemberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shopId_friendCustomerId_key" ON "Referral"("shopId", "friendCustomerId");

-- CreateIndex
CREATE INDEX "ReferralRejection_shopId_createdAt_idx" ON "ReferralRejection"("shopId", "createdAt");

-- AddForeignKey
ALTER TABLE "ReferralProgram" ADD CONSTRAINT "ReferralProgram_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralCode" ADD CONSTRAINT "ReferralCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralRejection" ADD CONSTRAINT "ReferralRejection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

