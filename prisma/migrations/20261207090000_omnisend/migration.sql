-- Omnisend (issue #21, ADR 0060): the brand's encrypted API key and delivery state, and what each
-- member's Omnisend contact last received. Events use the existing outbox (destination 'omnisend').
-- CreateTable
CREATE TABLE "OmnisendConnection" (
    "shopId" UUID NOT NULL,
    "encryptedApiKey" TEXT NOT NULL,
    "keyHint" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'connected',
    "statusReason" TEXT,
    "firstConnectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disconnectedAt" TIMESTAMP(3),
    "resyncRequestedAt" TIMESTAMP(3),
    "pausedUntil" TIMESTAMP(3),
    "failureStreak" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "OmnisendConnection_pkey" PRIMARY KEY ("shopId")
);
-- CreateTable
CREATE TABLE "OmnisendContactSync" (
    "memberId" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "syncedVersion" TIMESTAMP(3) NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL,
    "lastError" TEXT,
    CONSTRAINT "OmnisendContactSync_pkey" PRIMARY KEY ("memberId")
);
-- CreateIndex
CREATE INDEX "OmnisendContactSync_shopId_state_idx" ON "OmnisendContactSync"("shopId", "state");
-- AddForeignKey
ALTER TABLE "OmnisendConnection" ADD CONSTRAINT "OmnisendConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "OmnisendContactSync" ADD CONSTRAINT "OmnisendContactSync_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
