-- Commerce events of guest orders (ADR 0071): Placed Order and the others name the guest by the
-- order's email or phone, with no Shopify customer. Loyalty events still always carry one.
ALTER TABLE "LoyaltyEvent" ALTER COLUMN "customerId" DROP NOT NULL;
