-- CreateTable
CREATE TABLE "LedgerDrift" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "customerId" BIGINT NOT NULL,
    "cachedBalance" INTEGER NOT NULL,
    "ledgerSum" INTEGER NOT NULL,
    "detectedOn" TEXT NOT NULL,
    "detectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "LedgerDrift_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LedgerDrift_shopId_resolvedAt_idx" ON "LedgerDrift"("shopId", "resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerDrift_shopId_memberId_detectedOn_key" ON "LedgerDrift"("shopId", "memberId", "detectedOn");

-- AddForeignKey
ALTER TABLE "LedgerDrift" ADD CONSTRAINT "LedgerDrift_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

