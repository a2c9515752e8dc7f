import pg from "pg";

/** The key the seeded connections hold (the stand-in accepts any non-empty key). */
const KEY = "6512ab34cd56ef7890ab12cd-BenchKeyForTheOmnisendStandIn0001";

/**
 * One shop with n members with email, one pending points.added event per member for Omnisend,
 * and a live Omnisend connection holding the key encrypted as the app stores it.
 */
export async function seed(
  databaseUrl: string,
  name: string,
  n: number,
  log: (line: string) => void,
): Promise<string> {
  const { EXAMPLE_PAYLOADS, EXAMPLE_SNAPSHOT } = await import("~/domain/events");
  const { encryptSecret } = await import("~/lib/secrets.server");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const shop = await client.query<{ id: string }>(
      `INSERT INTO "Shop" (id, domain, "updatedAt") VALUES (gen_random_uuid(), $1, now()) RETURNING id`,
      [`bench-omnisend-${name.replace(/\W/g, "-")}.myshopify.com`],
    );
    const shopId = shop.rows[0]!.id;
    log(`seeding ${n} members and events (shop ${name})`);
    await client.query(
      `INSERT INTO "Member" (id, "shopId", "customerId", email, "firstName", "pointsBalance", "lifetimeEarned", "updatedAt")
       SELECT gen_random_uuid(), $1, 1000000 + i, 'member' || i || '@bench.test', 'Member', 100, 100, now()
       FROM generate_series(1, $2) AS i`,
      [shopId, n],
    );
    // A minute old: real-time events (the stand-in deduplicates only historical ones).
    await client.query(
      `INSERT INTO "LoyaltyEvent" (id, "shopId", "memberId", "customerId", type, payload, snapshot, "occurredAt")
       SELECT gen_random_uuid(), m."shopId", m.id, m."customerId", 'points.added', $2::jsonb,
              $3::jsonb || jsonb_build_object('customer_id', m."customerId"::text, 'email', m.email),
              now() - interval '1 minute'
       FROM "Member" m WHERE m."shopId" = $1`,
      [shopId, JSON.stringify(EXAMPLE_PAYLOADS["points.added"]), JSON.stringify(EXAMPLE_SNAPSHOT)],
    );
    await client.query(
      `INSERT INTO "EventDelivery" ("eventId", "shopId", destination, "updatedAt")
       SELECT id, "shopId", 'omnisend', now() FROM "LoyaltyEvent" WHERE "shopId" = $1`,
      [shopId],
    );
    await client.query(
      `INSERT INTO "OmnisendConnection" ("shopId", "encryptedApiKey", "keyHint", "firstConnectedAt", "connectedAt")
       VALUES ($1, $2, '…0001', now() - interval '1 hour', now() - interval '1 hour')`,
      [shopId, encryptSecret(KEY, shopId)],
    );
    await client.query("ANALYZE");
    return shopId;
  } finally {
    await client.end();
  }
}
