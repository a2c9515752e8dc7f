-- Progress of the member recompute queued by a program save (issue #8, settings).
-- CreateTable
CREATE TABLE "RecomputeRun" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "fromVersion" INTEGER NOT NULL,
    "toVersion" INTEGER NOT NULL,
    "totalMembers" INTEGER NOT NULL,
    "processedMembers" INTEGER NOT NULL DEFAULT 0,
    "tierChanges" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "lastError" TEXT,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "RecomputeRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RecomputeRun_shopId_toVersion_key" ON "RecomputeRun"("shopId", "toVersion");

-- CreateIndex
CREATE INDEX "RecomputeRun_shopId_queuedAt_idx" ON "RecomputeRun"("shopId", "queuedAt");

-- AddForeignKey
ALTER TABLE "RecomputeRun" ADD CONSTRAINT "RecomputeRun_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
