-- CreateTable
CREATE TABLE "ScheduledEventKey" (
    "shopId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "memberId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScheduledEventKey_pkey" PRIMARY KEY ("shopId","key")
);

-- CreateIndex
CREATE INDEX "ScheduledEventKey_shopId_memberId_idx" ON "ScheduledEventKey"("shopId", "memberId");

-- AddForeignKey
ALTER TABLE "ScheduledEventKey" ADD CONSTRAINT "ScheduledEventKey_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduledEventKey" ADD CONSTRAINT "ScheduledEventKey_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
