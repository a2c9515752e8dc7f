-- The member's current email marketing state from Shopify's consent webhook, with the
-- consent_updated_at it carried, so an older delivery arriving late changes nothing (ADR 0069).
ALTER TABLE "Member" ADD COLUMN "emailMarketingState" TEXT,
ADD COLUMN "emailConsentUpdatedAt" TIMESTAMP(3);
