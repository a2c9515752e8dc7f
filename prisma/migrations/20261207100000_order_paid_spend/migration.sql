-- The order's goods as orders/paid described them, so an edit's change of spend is dated at the
-- edit in the tier replay, whatever the arrival order (issue #17, ADR 0054).
ALTER TABLE "OrderRecord" ADD COLUMN "paidSpendMinor" INTEGER;
