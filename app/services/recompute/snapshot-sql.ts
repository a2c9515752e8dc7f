import { Prisma } from "@prisma/client";

/**
 * A loyalty event's member snapshot (the catalog's snapshot fields, as recordEvent writes them)
 * built in SQL from the member row aliased `c`, for the recompute's set-based event inserts.
 * `tierName` is the SQL of the tier name the snapshot shows.
 */
export function memberSnapshotSql(tierName: string): Prisma.Sql {
  return Prisma.sql`jsonb_build_object(
          'customer_id', c."customerId"::text,
          'email', c."email",
          'phone', c."phone",
          'first_name', c."firstName",
          'last_name', c."lastName",
          'points_balance', c."pointsBalance",
          'store_credit_balance_minor',
            CASE WHEN c."storeCreditCurrency" IS NOT NULL THEN c."storeCreditMinor" END,
          'store_credit_currency', c."storeCreditCurrency",
          'vip_tier', ${Prisma.raw(tierName)},
          'lifetime_points_earned', c."lifetimeEarned",
          'lifetime_points_spent', c."lifetimeSpent"
        )`;
}
