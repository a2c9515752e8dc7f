-- Commerce events (ADR 0071): off by default.
ALTER TABLE "Shop" ADD COLUMN "commerceEventsEnabled" BOOLEAN NOT NULL DEFAULT false;

-- Storefront (pixel) events dropped without being stored, counted per reason and day.
CREATE TABLE "CommerceEventDrop" (
    "shopId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "CommerceEventDrop_pkey" PRIMARY KEY ("shopId","reason","day")
);

ALTER TABLE "CommerceEventDrop" ADD CONSTRAINT "CommerceEventDrop_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
