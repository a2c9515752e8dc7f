import type pg from "pg";
import { ROLL_UP_DAYS_SQL } from "../../app/services/dashboard/ledger-sums";

/** Tiers of the seeded program (lifetime points), so the dashboard's tier chart has rows. */
const TIERS = [
  { id: "silver", name: "Silver", threshold: { kind: "lifetime_points", points: 5_000 } },
  { id: "gold", name: "Gold", threshold: { kind: "lifetime_points", points: 15_000 } },
];

/**
 * Seeds one shop set-based (generate_series, no per-row round trips): `members` members over two
 * years, `entriesPerMember` ledger entries each (earn, bonus, redemption, expiry, manual) spread
 * over the same two years, 1 in 20 members with a used reward code, the offline session the
 * admin's session tokens need, and the dashboard rollup up to yesterday as the daily job leaves it.
 */
export async function seedAdminShop(
  client: pg.Client,
  shop: { domain: string; members: number; entriesPerMember: number },
) {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO "Shop" ("id", "domain", "currency", "timeZone", "updatedAt")
     VALUES (gen_random_uuid(), $1, 'USD', 'UTC', now()) RETURNING "id"`,
    [shop.domain],
  );
  const shopId = rows[0]!.id;
  await client.query(
    // As tests/support/admin.ts installTestShop stores it: an expiring offline token with its
    // refresh token, so no token exchange is needed.
    `INSERT INTO "Session" ("id", "shop", "state", "isOnline", "scope", "accessToken", "expires",
       "refreshToken", "refreshTokenExpires")
     VALUES ($1, $2, '', false, '', 'shpat_bench', now() + interval '1 day', 'shprt_bench',
       now() + interval '30 days')`,
    [`offline_${shop.domain}`, shop.domain],
  );
  await client.query(
    `INSERT INTO "ProgramVersion" ("id", "shopId", "version", "config")
     VALUES (gen_random_uuid(), $1, 1, $2::jsonb)`,
    [shopId, JSON.stringify({ tiers: TIERS })],
  );
  await client.query(
    `INSERT INTO "Member" ("id", "shopId", "customerId", "email", "firstName", "lastName", "status",
       "pointsBalance", "lifetimeEarned", "lifetimeSpent", "tierId", "createdAt", "lastActivityAt",
       "updatedAt")
     SELECT gen_random_uuid(), $1::uuid, 1000000 + i, 'member' || i || '@example.com',
       'First' || (i % 1013), 'Last' || (i % 977), 'active',
       (i * 37) % 5000, (i * 53) % 20000, (i * 11) % 3000,
       CASE WHEN (i * 53) % 20000 >= 15000 THEN 'gold' WHEN (i * 53) % 20000 >= 5000 THEN 'silver' END,
       now() - ((i % 730) || ' days')::interval - ((i % 86400) || ' seconds')::interval,
       CASE WHEN i % 4 = 0 THEN NULL ELSE now() - ((i % 400) || ' days')::interval END,
       now()
     FROM generate_series(1, $2::int) AS i`,
    [shopId, shop.members],
  );
  // Kinds by k: mostly earn, then bonus, redemption, expiry and manual credits.
  await client.query(
    `INSERT INTO "LedgerEntry" ("id", "shopId", "memberId", "points", "kind", "source",
       "idempotencyKey", "balanceAfter", "createdAt")
     SELECT gen_random_uuid(), m."shopId", m."id",
       CASE WHEN k % 10 < 6 THEN 10 + (m."customerId" % 200)::int
            WHEN k % 10 = 6 THEN 50 WHEN k % 10 = 7 THEN -100 WHEN k % 10 = 8 THEN -20 ELSE 5 END,
       CASE WHEN k % 10 < 6 THEN 'earn' WHEN k % 10 = 6 THEN 'bonus'
            WHEN k % 10 = 7 THEN 'redemption' WHEN k % 10 = 8 THEN 'expiry' ELSE 'manual' END,
       'bench', 'bench:' || m."customerId" || ':' || k, 0,
       now() - (((m."customerId" * 7 + k * 37) % 730) || ' days')::interval
             - (((m."customerId" + k * 131) % 86400) || ' seconds')::interval
     FROM "Member" m CROSS JOIN generate_series(1, $2::int) AS k
     WHERE m."shopId" = $1::uuid`,
    [shopId, shop.entriesPerMember],
  );
  const reward = await client.query<{ id: string }>(
    `INSERT INTO "Reward" ("id", "shopId", "handle", "name", "type", "definition", "updatedAt")
     VALUES (gen_random_uuid(), $1, 'five-off', '$5 off', 'fixed_amount', $2::jsonb, now())
     RETURNING "id"`,
    [
      shopId,
      JSON.stringify({
        type: "fixed_amount",
        handle: "five-off",
        name: "$5 off",
        pointsCost: 500,
        amountMinor: 500,
      }),
    ],
  );
  await client.query(
    `INSERT INTO "Redemption" ("id", "shopId", "memberId", "rewardId", "requestKey", "state",
       "source", "pointsSpent", "rewardSnapshot", "code", "usedOrderId", "usedOrderTotalMinor",
       "issuedAt", "endedAt", "updatedAt")
     SELECT gen_random_uuid(), m."shopId", m."id", $2::uuid, 'bench:' || m."customerId", 'used',
       'points_redemption', 500, '{}'::jsonb, 'BENCH' || m."customerId", 9000000 + m."customerId",
       2000 + (m."customerId" % 10000)::int,
       now() - ((m."customerId" % 365) || ' days')::interval,
       now() - ((m."customerId" % 365) || ' days')::interval, now()
     FROM "Member" m WHERE m."shopId" = $1::uuid AND m."customerId" % 20 = 0`,
    [shopId, reward.rows[0]!.id],
  );
  await rollUp(client, shopId);
  // What autovacuum does to a table after bulk inserts: statistics, and the visibility map that
  // lets index-only scans skip the heap.
  await client.query("VACUUM ANALYZE");
  return shopId;
}

/** What the daily job does for the shop: every ended day since its first entry. */
export async function rollUp(client: pg.Client, shopId: string) {
  const { rows } = await client.query<{ first: string; yesterday: string }>(
    `SELECT to_char(min("createdAt"), 'YYYY-MM-DD') AS "first",
            to_char(now() AT TIME ZONE 'UTC' - interval '1 day', 'YYYY-MM-DD') AS "yesterday"
     FROM "LedgerEntry" WHERE "shopId" = $1::uuid`,
    [shopId],
  );
  const { first, yesterday } = rows[0]!;
  await client.query(ROLL_UP_DAYS_SQL, [shopId, "UTC", first, yesterday]);
}
