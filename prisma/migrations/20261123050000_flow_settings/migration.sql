-- Per-shop Flow delivery switch and delivery claim (issue #6, ADR 0025).
-- CreateTable
CREATE TABLE "FlowSettings" (
    "shopId" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "changedAt" TIMESTAMP(3),
    "deliveringUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowSettings_pkey" PRIMARY KEY ("shopId")
);

-- AddForeignKey
ALTER TABLE "FlowSettings" ADD CONSTRAINT "FlowSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

