-- Dashboard (issue #8 scope 4, ADR 0032): daily ledger rollup, ledger by shop and time, revenue of
-- orders that used a loyalty reward code, member figures as index-only scans.
-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN     "usedOrderTotalMinor" INTEGER;

-- CreateTable
CREATE TABLE "DashboardDay" (
    "shopId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "issued" BIGINT NOT NULL DEFAULT 0,
    "redeemed" BIGINT NOT NULL DEFAULT 0,
    "expired" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DashboardDay_pkey" PRIMARY KEY ("shopId","day")
);

-- CreateIndex
CREATE INDEX "Member_shopId_status_tierId_pointsBalance_idx" ON "Member"("shopId", "status", "tierId", "pointsBalance");

-- CreateIndex
CREATE INDEX "Member_shopId_status_lastActivityAt_idx" ON "Member"("shopId", "status", "lastActivityAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_createdAt_idx" ON "LedgerEntry"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "Redemption_shopId_state_endedAt_idx" ON "Redemption"("shopId", "state", "endedAt");

-- AddForeignKey
ALTER TABLE "DashboardDay" ADD CONSTRAINT "DashboardDay_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

