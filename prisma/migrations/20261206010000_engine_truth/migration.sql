-- Tiers derived from the facts (docs/decisions/0054-tiers-derived-from-facts.md), and events
-- that wait for the reward their occasion grants.

-- AlterTable
ALTER TABLE "Member" ADD COLUMN "tierCheckpoint" JSONB;

-- AlterTable
ALTER TABLE "RefundRecord" ADD COLUMN "goodsMinor" INTEGER;

-- AlterTable: the event an occasion announces once its reward exists (birthday, referral).
ALTER TABLE "RewardGrant" ADD COLUMN "followUp" JSONB;

-- Members that exist now keep the tier history they have: their replay starts at this migration,
-- with their tier as it stands and the tiers they entered before (whose entry bonus or reward they
-- were given, and their tier itself). Orders paid before it keep the multiplier they earned with.
UPDATE "Member" m SET "tierCheckpoint" = jsonb_build_object(
  'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'tierId', m."tierId",
  'enteredAt', to_char(m."tierEnteredAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'expiresAt', to_char(m."tierPeriodEndsAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'lockedUntil', to_char(m."tierLockedUntil", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'lockedTierId', CASE WHEN m."tierLockedUntil" IS NULL THEN NULL ELSE m."tierId" END,
  'enteredTierIds', COALESCE((
    SELECT jsonb_agg(DISTINCT t."tierId") FROM (
      SELECT e.detail->>'tierId' AS "tierId" FROM "LedgerEntry" e
      WHERE e."memberId" = m.id AND e.source = 'tier_bonus' AND e.detail ? 'tierId'
      UNION
      SELECT split_part(g."idempotencyKey", ':', 4) FROM "RewardGrant" g
      WHERE g."memberId" = m.id AND g.occasion = 'tier_entry'
      UNION
      SELECT m."tierId" WHERE m."tierId" IS NOT NULL) t), '[]'::jsonb),
  'reason', 'migration');

-- The refunded goods of the refunds already stored: each refunded line's share of its order line's
-- goods (price × quantity less the line's discounts), or the amount of a refund without lines.
UPDATE "RefundRecord" r SET "goodsMinor" = LEAST(o."spendMinor", COALESCE((
    SELECT SUM(
      ((l->>'unitPriceMinor')::bigint * (l->>'quantity')::bigint - (l->>'discountMinor')::bigint)
        * LEAST((rl->>'quantity')::bigint, (l->>'quantity')::bigint)
        / NULLIF((l->>'quantity')::bigint, 0))
    FROM jsonb_array_elements(r.lines) rl
    JOIN jsonb_array_elements(o."order"->'earning'->'lines') l
      ON l->>'lineItemId' = rl->>'lineItemId' AND NOT COALESCE((l->>'giftCard')::boolean, false)
  ), CASE WHEN jsonb_array_length(r.lines) = 0 THEN r."amountMinor" ELSE 0 END))::integer
FROM "OrderRecord" o
WHERE o."shopId" = r."shopId" AND o."orderId" = r."orderId" AND o."spendMinor" IS NOT NULL;

-- A customer account's registration now counts once by a key of its own (the welcome bonus goes
-- to whoever holds the account's loyalty after a merge): the accounts registered so far hold theirs.
INSERT INTO "ScheduledEventKey" ("shopId", "key", "memberId", "createdAt")
SELECT m."shopId", 'account_registered:' || m.id::text, m.id, now() AT TIME ZONE 'UTC'
FROM "Member" m
WHERE m."accountRegisteredAt" IS NOT NULL
ON CONFLICT ("shopId", "key") DO NOTHING;
