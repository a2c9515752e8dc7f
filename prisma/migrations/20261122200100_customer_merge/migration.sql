-- customers/merge: one row per applied merge (exactly-once by the unique index, and the record of
-- what moved besides the points). Independent of the other migrations of the day: only a new table
-- and its foreign key to "Shop".

-- CreateTable
CREATE TABLE "MemberMerge" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "mergedMemberId" UUID NOT NULL,
    "keptMemberId" UUID NOT NULL,
    "mergedCustomerId" BIGINT NOT NULL,
    "keptCustomerId" BIGINT NOT NULL,
    "points" INTEGER NOT NULL,
    "lifetimeEarned" INTEGER NOT NULL,
    "lifetimeSpent" INTEGER NOT NULL,
    "ordersMoved" INTEGER NOT NULL,
    "jobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberMerge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MemberMerge_shopId_keptMemberId_idx" ON "MemberMerge"("shopId", "keptMemberId");

-- CreateIndex
CREATE UNIQUE INDEX "MemberMerge_shopId_mergedMemberId_key" ON "MemberMerge"("shopId", "mergedMemberId");

-- AddForeignKey
ALTER TABLE "MemberMerge" ADD CONSTRAINT "MemberMerge_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
