-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "orderVersion" TIMESTAMP(3);
