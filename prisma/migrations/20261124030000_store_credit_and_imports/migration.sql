-- Cashback as Shopify store credit (issue #4, ADR 0030) and CSV imports (issue #8, ADR 0031).
-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "storeCreditCurrency" TEXT,
ADD COLUMN     "storeCreditMinor" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "StoreCreditTransaction" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "customerId" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "orderId" BIGINT,
    "refundId" BIGINT,
    "amountMinor" INTEGER NOT NULL,
    "appliedMinor" INTEGER,
    "currency" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,
    "balanceBeforeMinor" INTEGER,
    "balanceAfterMinor" INTEGER,
    "shopifyId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "detail" JSONB,
    "sentAt" TIMESTAMP(3),
    "appliedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StoreCreditTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "csv" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'checked',
    "totalRows" INTEGER NOT NULL,
    "validRows" INTEGER NOT NULL,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "appliedRows" INTEGER NOT NULL DEFAULT 0,
    "skippedRows" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ImportRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportedRow" (
    "shopId" UUID NOT NULL,
    "rowKey" TEXT NOT NULL,
    "importRunId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportedRow_pkey" PRIMARY KEY ("shopId","rowKey")
);

-- CreateIndex
CREATE INDEX "StoreCreditTransaction_shopId_state_createdAt_idx" ON "StoreCreditTransaction"("shopId", "state", "createdAt");

-- CreateIndex
CREATE INDEX "StoreCreditTransaction_state_nextAttemptAt_idx" ON "StoreCreditTransaction"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "StoreCreditTransaction_shopId_orderId_idx" ON "StoreCreditTransaction"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "StoreCreditTransaction_shopId_memberId_createdAt_idx" ON "StoreCreditTransaction"("shopId", "memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "StoreCreditTransaction_shopId_idempotencyKey_key" ON "StoreCreditTransaction"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ImportRun_shopId_createdAt_idx" ON "ImportRun"("shopId", "createdAt");

-- AddForeignKey
ALTER TABLE "StoreCreditTransaction" ADD CONSTRAINT "StoreCreditTransaction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoreCreditTransaction" ADD CONSTRAINT "StoreCreditTransaction_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRun" ADD CONSTRAINT "ImportRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportedRow" ADD CONSTRAINT "ImportedRow_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
