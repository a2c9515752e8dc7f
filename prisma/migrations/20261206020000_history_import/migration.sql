-- The import of a store's history at install (issue 18).

-- AlterTable: a past order brought in for tier spend only earns nothing.
ALTER TABLE "OrderRecord" ADD COLUMN "earnsPoints" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable: store credit reconciliation (issue 18.6) knows when the app last wrote the mirror.
ALTER TABLE "Member" ADD COLUMN "storeCreditMirrorAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "HistoryImport" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "choices" JSONB NOT NULL,
    "customersOperationId" TEXT,
    "ordersOperationId" TEXT,
    "customerLinesDone" INTEGER NOT NULL DEFAULT 0,
    "orderLinesDone" INTEGER NOT NULL DEFAULT 0,
    "customerLinesTotal" INTEGER,
    "orderLinesTotal" INTEGER,
    "customers" INTEGER NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "customersValued" INTEGER NOT NULL DEFAULT 0,
    "valuedThrough" BIGINT,
    "pointsAwarded" INTEGER NOT NULL DEFAULT 0,
    "tierCounts" JSONB NOT NULL DEFAULT '{}',
    "problems" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "applyingAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HistoryImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HistoryImportProblem" (
    "importId" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "file" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HistoryImportProblem_pkey" PRIMARY KEY ("importId","file","line","kind")
);

-- CreateIndex
CREATE INDEX "HistoryImport_shopId_createdAt_idx" ON "HistoryImport"("shopId", "createdAt");

-- One import in progress per shop: a second start while one runs finds it instead.
CREATE UNIQUE INDEX "HistoryImport_one_running_per_shop" ON "HistoryImport"("shopId")
  WHERE "state" IN ('queued', 'fetching', 'applying');

-- AddForeignKey
ALTER TABLE "HistoryImport" ADD CONSTRAINT "HistoryImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HistoryImportProblem" ADD CONSTRAINT "HistoryImportProblem_importId_fkey" FOREIGN KEY ("importId") REFERENCES "HistoryImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;
