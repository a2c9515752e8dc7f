-- AlterTable
ALTER TABLE "EventDelivery" ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "shopId" UUID;

-- Existing deliveries take their event's shop, then the column becomes required.
UPDATE "EventDelivery" d SET "shopId" = e."shopId" FROM "LoyaltyEvent" e WHERE e."id" = d."eventId";
ALTER TABLE "EventDelivery" ALTER COLUMN "shopId" SET NOT NULL;

-- CreateTable
CREATE TABLE "KlaviyoConnection" (
    "shopId" UUID NOT NULL,
    "authKind" TEXT NOT NULL,
    "encryptedCredential" TEXT NOT NULL,
    "credentialHint" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "accountName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'connected',
    "statusReason" TEXT,
    "propertyPrefix" TEXT NOT NULL DEFAULT 'loyalty_',
    "firstConnectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disconnectedAt" TIMESTAMP(3),
    "resyncRequestedAt" TIMESTAMP(3),
    "pausedUntil" TIMESTAMP(3),
    "failureStreak" INTEGER NOT NULL DEFAULT 0,
    "bootstrappedAt" TIMESTAMP(3),
    "listId" TEXT,
    "listSyncHour" INTEGER,
    "listSyncedAt" TIMESTAMP(3),
    "listSyncRequestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KlaviyoConnection_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "KlaviyoProfileSync" (
    "memberId" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "syncedVersion" TIMESTAMP(3) NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL,
    "lastError" TEXT,

    CONSTRAINT "KlaviyoProfileSync_pkey" PRIMARY KEY ("memberId")
);

-- CreateTable
CREATE TABLE "KlaviyoSyncRun" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "includeEvents" BOOLEAN NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'running',
    "profilesTotal" INTEGER NOT NULL DEFAULT 0,
    "profilesDone" INTEGER NOT NULL DEFAULT 0,
    "eventsTotal" INTEGER NOT NULL DEFAULT 0,
    "eventsDone" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "KlaviyoSyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KlaviyoProfileSync_shopId_state_idx" ON "KlaviyoProfileSync"("shopId", "state");

-- CreateIndex
CREATE INDEX "KlaviyoSyncRun_shopId_startedAt_idx" ON "KlaviyoSyncRun"("shopId", "startedAt");

-- CreateIndex
CREATE INDEX "EventDelivery_shopId_destination_state_nextAttemptAt_idx" ON "EventDelivery"("shopId", "destination", "state", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "KlaviyoConnection" ADD CONSTRAINT "KlaviyoConnection_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KlaviyoProfileSync" ADD CONSTRAINT "KlaviyoProfileSync_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KlaviyoSyncRun" ADD CONSTRAINT "KlaviyoSyncRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- CreateTable
CREATE TABLE "KlaviyoImportJob" (
    "id" TEXT NOT NULL,
    "shopId" UUID NOT NULL,
    "profiles" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'submitted',
    "failedCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkedAt" TIMESTAMP(3),

    CONSTRAINT "KlaviyoImportJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KlaviyoImportJob_shopId_state_idx" ON "KlaviyoImportJob"("shopId", "state");

-- AddForeignKey
ALTER TABLE "KlaviyoImportJob" ADD CONSTRAINT "KlaviyoImportJob_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One "Sync now" at a time per shop: a second click joins the running one (not expressible in the
-- Prisma schema, hence here).
CREATE UNIQUE INDEX "KlaviyoSyncRun_one_running_per_shop" ON "KlaviyoSyncRun"("shopId") WHERE "state" = 'running';
