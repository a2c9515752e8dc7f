-- Written by hand (Prisma's schema cannot declare an expression index): the admin's member search
-- by a part of an email or name. pg_trgm indexes the trigrams of one text made of email, first and
-- last name; btree_gin lets the same GIN index hold the shop, so a search reads only that shop's
-- matches however many shops share the table. app/services/member-directory.server.ts searches
-- exactly this expression (then checks each column). See docs/decisions/0050-member-search-trigrams.md.
-- Both extensions are trusted (PostgreSQL 13+): a database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX "Member_shopId_searchText_trgm_idx" ON "Member" USING gin (
  "shopId",
  (COALESCE("email", '') || ' ' || COALESCE("firstName", '') || ' ' || COALESCE("lastName", '')) gin_trgm_ops
);
