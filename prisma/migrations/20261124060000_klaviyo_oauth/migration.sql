-- CreateTable
CREATE TABLE "KlaviyoOAuthRequest" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "stateHash" TEXT NOT NULL,
    "encryptedVerifier" TEXT NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KlaviyoOAuthRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "KlaviyoOAuthRequest_stateHash_key" ON "KlaviyoOAuthRequest"("stateHash");

-- CreateIndex
CREATE INDEX "KlaviyoOAuthRequest_shopId_idx" ON "KlaviyoOAuthRequest"("shopId");

-- AddForeignKey
ALTER TABLE "KlaviyoOAuthRequest" ADD CONSTRAINT "KlaviyoOAuthRequest_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

