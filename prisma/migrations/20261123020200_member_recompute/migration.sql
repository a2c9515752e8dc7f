-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "profileSyncRequestedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "spendMinor" INTEGER;

-- AlterTable
ALTER TABLE "RefundRecord" ADD COLUMN     "amountMinor" INTEGER;

-- Backfill: the spend of orders already stored (same rule as the app: lines after discounts,
-- gift cards excluded) and refund amounts in the shop currency's minor units.
UPDATE "OrderRecord" o
SET "spendMinor" = (
  SELECT COALESCE(SUM((l->>'unitPriceMinor')::int * (l->>'quantity')::int - (l->>'discountMinor')::int), 0)
  FROM jsonb_array_elements(o."order"->'earning'->'lines') l
  WHERE NOT COALESCE((l->>'giftCard')::boolean, false)
)
WHERE o."order" IS NOT NULL;

UPDATE "RefundRecord" r
SET "amountMinor" = (
  SELECT COALESCE(SUM(round(x::numeric * (
    CASE
      WHEN s."currency" IN ('BIF','CLP','DJF','GNF','ISK','JPY','KMF','KRW','PYG','RWF','UGX','UYI','VND','VUV','XAF','XOF','XPF') THEN 1
      WHEN s."currency" IN ('BHD','IQD','JOD','KWD','LYD','OMR','TND') THEN 1000
      ELSE 100
    END))), 0)::int
  FROM jsonb_array_elements_text(r."amount"::jsonb) x
)
FROM "Shop" s
WHERE s."id" = r."shopId";
