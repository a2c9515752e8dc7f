-- Claim codes for offline purchases (issue #23, ADR 0068): batches of single-use codes worth
-- points; a code is claimed once, by a conditional update in the transaction of its ledger entry.

-- CreateTable
CREATE TABLE "ClaimCodeBatch" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "requestKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClaimCodeBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClaimCode" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "batchId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3),
    "memberId" UUID,

    CONSTRAINT "ClaimCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ClaimCodeBatch_shopId_requestKey_key" ON "ClaimCodeBatch"("shopId", "requestKey");

-- CreateIndex
CREATE INDEX "ClaimCodeBatch_shopId_createdAt_idx" ON "ClaimCodeBatch"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ClaimCode_shopId_code_key" ON "ClaimCode"("shopId", "code");

-- CreateIndex
CREATE INDEX "ClaimCode_batchId_claimedAt_idx" ON "ClaimCode"("batchId", "claimedAt");

-- AddForeignKey
ALTER TABLE "ClaimCodeBatch" ADD CONSTRAINT "ClaimCodeBatch_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimCode" ADD CONSTRAINT "ClaimCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimCode" ADD CONSTRAINT "ClaimCode_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "ClaimCodeBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The points a code is worth and how many a batch has are the form's limits, kept by the table too.
ALTER TABLE "ClaimCodeBatch" ADD CONSTRAINT "ClaimCodeBatch_points_range" CHECK ("points" BETWEEN 1 AND 100000);
ALTER TABLE "ClaimCodeBatch" ADD CONSTRAINT "ClaimCodeBatch_count_range" CHECK ("count" BETWEEN 1 AND 10000);
