-- An import says whether its points add to each balance or set it, and its check previews the
-- resulting balances (issue #20: "29 + 100 = 129" happened without the merchant being told).
ALTER TABLE "ImportRun" ADD COLUMN "balanceMode" TEXT NOT NULL DEFAULT 'add';
ALTER TABLE "ImportRun" ADD COLUMN "preview" JSONB;
