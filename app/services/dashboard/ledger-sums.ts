// The dashboard's ledger sums as SQL text, shared by the app (Prisma raw queries) and the admin
// benchmark (node-postgres), so both measure and maintain the same thing. No imports: this file is
// plain data. Kinds and signs: app/services/ledger/post-entry.server.ts; definitions: ADR 0032.

/**
 * Per-entry sums: points issued (credits given: earn, bonus, manual, adjustment above zero),
 * redeemed (spent on rewards, net of returned redemptions) and expired.
 */
export const LEDGER_SUMS_SQL = `
  COALESCE(SUM(CASE WHEN e."kind" IN ('earn', 'bonus', 'manual', 'adjustment') AND e."points" > 0
                    THEN e."points" ELSE 0 END), 0)::bigint AS "issued",
  (-COALESCE(SUM(CASE WHEN e."kind" = 'redemption' THEN e."points" ELSE 0 END), 0))::bigint AS "redeemed",
  (-COALESCE(SUM(CASE WHEN e."kind" = 'expiry' THEN e."points" ELSE 0 END), 0))::bigint AS "expired"`;

/**
 * A shop's ledger sums per shop-local day, for the days $3..$4 (dates, both included) in zone $2.
 * `createdAt` is a UTC timestamp without zone; the bounds are the days' first instants in UTC, so
 * the (shopId, createdAt) index reads exactly those days.
 */
export const LEDGER_DAYS_SQL = `
  SELECT (e."createdAt" AT TIME ZONE 'UTC' AT TIME ZONE $2)::date AS "day", ${LEDGER_SUMS_SQL}
  FROM "LedgerEntry" e
  WHERE e."shopId" = $1::uuid
    AND e."createdAt" >= ($3::date::timestamp AT TIME ZONE $2) AT TIME ZONE 'UTC'
    AND e."createdAt" < (($4::date + 1)::timestamp AT TIME ZONE $2) AT TIME ZONE 'UTC'
  GROUP BY 1`;

/**
 * Writes (or rewrites) one DashboardDay row for every day $3..$4 of shop $1 in zone $2, zeros
 * included, so the shop's latest row says how far the rollup reaches. Idempotent.
 */
export const ROLL_UP_DAYS_SQL = `
  INSERT INTO "DashboardDay" ("shopId", "day", "issued", "redeemed", "expired", "updatedAt")
  SELECT $1::uuid, d."day"::date, COALESCE(s."issued", 0), COALESCE(s."redeemed", 0),
         COALESCE(s."expired", 0), now()
  FROM generate_series($3::date, $4::date, interval '1 day') AS d("day")
  LEFT JOIN (${LEDGER_DAYS_SQL}) s ON s."day" = d."day"::date
  ON CONFLICT ("shopId", "day") DO UPDATE SET
    "issued" = EXCLUDED."issued",
    "redeemed" = EXCLUDED."redeemed",
    "expired" = EXCLUDED."expired",
    "updatedAt" = EXCLUDED."updatedAt"`;
