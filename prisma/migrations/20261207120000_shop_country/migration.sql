-- The shop's country, from its billing address: formatted money follows it (ADR 0062).
ALTER TABLE "Shop" ADD COLUMN "countryCode" TEXT;
