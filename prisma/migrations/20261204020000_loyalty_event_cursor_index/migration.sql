-- The Klaviyo drain walks a shop's events by (occurredAt, id) from a cursor. With only
-- (shopId, occurredAt) indexed, events sharing a time (a backfill, a bulk import) had to be sorted by
-- id: PostgreSQL read and sorted the whole backlog for each round (70 ms for 1,000 of 100,000 events).
-- With id in the index the round is one ordered index range. IF NOT EXISTS: a large installation
-- can build it beforehand with CREATE INDEX CONCURRENTLY. See docs/decisions/0051-klaviyo-drain-start.md.
-- DropIndex
DROP INDEX IF EXISTS "LoyaltyEvent_shopId_occurredAt_idx";

-- CreateIndex
CREATE INDEX IF NOT EXISTS "LoyaltyEvent_shopId_occurredAt_id_idx" ON "LoyaltyEvent"("shopId", "occurredAt", "id");
