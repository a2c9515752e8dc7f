-- CreateTable
CREATE UNLOGGED TABLE "ProxyRateCounter" (
    "shopId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ProxyRateCounter_pkey" PRIMARY KEY ("shopId","key")
);

-- CreateIndex
CREATE INDEX "ProxyRateCounter_windowStart_idx" ON "ProxyRateCounter"("windowStart");

-- AddForeignKey
ALTER TABLE "ProxyRateCounter" ADD CONSTRAINT "ProxyRateCounter_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

