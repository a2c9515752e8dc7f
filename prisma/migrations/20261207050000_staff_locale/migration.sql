-- The admin speaks each staff member's Shopify admin language (ADR 0059): remembered per shop and
-- staff member from admin's `locale` parameter, read back on requests that carry none.
CREATE TABLE "StaffLocale" (
    "shopId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffLocale_pkey" PRIMARY KEY ("shopId","userId")
);

ALTER TABLE "StaffLocale" ADD CONSTRAINT "StaffLocale_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
