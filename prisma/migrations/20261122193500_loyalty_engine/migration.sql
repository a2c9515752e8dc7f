-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "currency" TEXT NOT NULL DEFAULT 'USD',
ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC';

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "outcome" TEXT;

-- CreateTable
CREATE TABLE "ProgramVersion" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "config" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT,

    CONSTRAINT "ProgramVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "customerId" BIGINT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "accountRegisteredAt" TIMESTAMP(3),
    "pointsBalance" INTEGER NOT NULL DEFAULT 0,
    "lifetimeEarned" INTEGER NOT NULL DEFAULT 0,
    "lifetimeSpent" INTEGER NOT NULL DEFAULT 0,
    "tierId" TEXT,
    "tierEnteredAt" TIMESTAMP(3),
    "tierPeriodEndsAt" TIMESTAMP(3),
    "tierLockedUntil" TIMESTAMP(3),
    "birthMonth" INTEGER,
    "birthDay" INTEGER,
    "birthYear" INTEGER,
    "lastActivityAt" TIMESTAMP(3),
    "mergedIntoId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "points" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "orderId" BIGINT,
    "balanceAfter" INTEGER NOT NULL,
    "detail" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoyaltyEvent" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID,
    "customerId" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "snapshot" JSONB NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoyaltyEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventDelivery" (
    "eventId" UUID NOT NULL,
    "destination" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EventDelivery_pkey" PRIMARY KEY ("eventId","destination")
);

-- CreateTable
CREATE TABLE "OrderRecord" (
    "shopId" UUID NOT NULL,
    "orderId" BIGINT NOT NULL,
    "customerId" BIGINT,
    "name" TEXT,
    "currency" TEXT,
    "order" JSONB,
    "paidAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderRecord_pkey" PRIMARY KEY ("shopId","orderId")
);

-- CreateTable
CREATE TABLE "RefundRecord" (
    "shopId" UUID NOT NULL,
    "orderId" BIGINT NOT NULL,
    "refundId" BIGINT NOT NULL,
    "lines" JSONB NOT NULL,
    "amount" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RefundRecord_pkey" PRIMARY KEY ("shopId","refundId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProgramVersion_shopId_version_key" ON "ProgramVersion"("shopId", "version");

-- CreateIndex
CREATE INDEX "Member_shopId_tierId_idx" ON "Member"("shopId", "tierId");

-- CreateIndex
CREATE UNIQUE INDEX "Member_shopId_customerId_key" ON "Member"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_memberId_createdAt_idx" ON "LedgerEntry"("shopId", "memberId", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_orderId_idx" ON "LedgerEntry"("shopId", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_shopId_idempotencyKey_key" ON "LedgerEntry"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "LoyaltyEvent_shopId_occurredAt_idx" ON "LoyaltyEvent"("shopId", "occurredAt");

-- CreateIndex
CREATE INDEX "LoyaltyEvent_shopId_memberId_occurredAt_idx" ON "LoyaltyEvent"("shopId", "memberId", "occurredAt");

-- CreateIndex
CREATE INDEX "EventDelivery_destination_state_idx" ON "EventDelivery"("destination", "state");

-- CreateIndex
CREATE INDEX "OrderRecord_shopId_customerId_idx" ON "OrderRecord"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "RefundRecord_shopId_orderId_idx" ON "RefundRecord"("shopId", "orderId");

-- AddForeignKey
ALTER TABLE "ProgramVersion" ADD CONSTRAINT "ProgramVersion_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyEvent" ADD CONSTRAINT "LoyaltyEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoyaltyEvent" ADD CONSTRAINT "LoyaltyEvent_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventDelivery" ADD CONSTRAINT "EventDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "LoyaltyEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderRecord" ADD CONSTRAINT "OrderRecord_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefundRecord" ADD CONSTRAINT "RefundRecord_shopId_orderId_fkey" FOREIGN KEY ("shopId", "orderId") REFERENCES "OrderRecord"("shopId", "orderId") ON DELETE CASCADE ON UPDATE CASCADE;

