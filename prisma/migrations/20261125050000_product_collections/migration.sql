-- CreateTable
CREATE TABLE "ProductCollections" (
    "shopId" UUID NOT NULL,
    "productId" BIGINT NOT NULL,
    "collectionIds" TEXT[],
    "fetchedAt" TIMESTAMP(3) NOT NULL,
    "stale" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ProductCollections_pkey" PRIMARY KEY ("shopId","productId")
);

-- AddForeignKey
ALTER TABLE "ProductCollections" ADD CONSTRAINT "ProductCollections_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

