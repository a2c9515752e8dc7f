-- CreateTable
CREATE TABLE "Reward" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "handle" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "rewardId" UUID NOT NULL,
    "requestKey" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "pointsSpent" INTEGER NOT NULL,
    "rewardSnapshot" JSONB NOT NULL,
    "code" TEXT,
    "valueMinor" INTEGER,
    "valuePercentage" DOUBLE PRECISION,
    "currency" TEXT,
    "shopifyId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "failure" TEXT,
    "usedOrderId" BIGINT,
    "issuedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Redemption_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Reward_shopId_handle_key" ON "Reward"("shopId", "handle");

-- CreateIndex
CREATE INDEX "Redemption_shopId_state_updatedAt_idx" ON "Redemption"("shopId", "state", "updatedAt");

-- CreateIndex
CREATE INDEX "Redemption_shopId_memberId_createdAt_idx" ON "Redemption"("shopId", "memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shopId_requestKey_key" ON "Redemption"("shopId", "requestKey");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shopId_code_key" ON "Redemption"("shopId", "code");

-- AddForeignKey
ALTER TABLE "Reward" ADD CONSTRAINT "Reward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

