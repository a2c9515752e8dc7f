-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "pendingPoints" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "pointsReleaseOn" TEXT;
