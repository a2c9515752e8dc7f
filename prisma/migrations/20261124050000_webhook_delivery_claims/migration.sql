-- Workers claim stored deliveries themselves instead of one pg-boss job per webhook (ADR 0034).
-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "nextAttemptAt" TIMESTAMP(3);

-- Deliveries not processed yet get (one more) attempt; processed ones need none.
UPDATE "WebhookDelivery" SET "nextAttemptAt" = "receivedAt" WHERE "processedAt" IS NULL;

ALTER TABLE "WebhookDelivery" ALTER COLUMN "nextAttemptAt" SET DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "WebhookDelivery_nextAttemptAt_idx" ON "WebhookDelivery"("nextAttemptAt");
