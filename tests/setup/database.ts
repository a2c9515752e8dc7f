import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";

// Each integration test file gets its own empty, migrated database: PGlite in memory by default,
// or a throwaway database on the PostgreSQL server named by TEST_DATABASE_URL (dropped afterwards).
const serverUrl = process.env.TEST_DATABASE_URL;
let throwaway: { adminUrl: string; name: string } | undefined;

if (serverUrl) {
  const name = `loyalty_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  throwaway = { adminUrl: serverUrl, name };
} else {
  // A copy of the migrated database tests/setup/pglite-snapshot.ts made for this run.
  const snapshot = inject("pgliteSnapshot");
  process.env.DATABASE_URL = snapshot ? `pglite:snapshot:${snapshot}` : "pglite:memory";
}

// Migrated before the test file is imported, as `npm start` does before loading the app: the
// Shopify session storage polls for its table as soon as app/shopify.server.ts is imported, and
// would log "Error obtaining session table" until the table exists.
{
  const { database } = await import("~/db.server");
  const { migrate } = await import("~/db/migrate.server");
  await migrate(database);
}

beforeAll(async () => {
  // As at app start: pg-boss creates its schema and queues (workers stay off: WORKERS=off in tests).
  const { getBoss } = await import("~/jobs/queues/boss.server");
  await getBoss();
});

afterAll(async () => {
  const { shutdown } = await import("~/jobs/start.server");
  await shutdown();
  if (throwaway) {
    const admin = new pg.Client({ connectionString: throwaway.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${throwaway.name} WITH (FORCE)`);
    await admin.end();
  }
});
