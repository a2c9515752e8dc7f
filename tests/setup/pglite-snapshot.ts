import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openConnection } from "../../app/db/connection.server";
import { migrate, MIGRATIONS_DIR } from "../../app/db/migrate.server";
import { writePgliteSnapshot } from "../../app/db/pglite.server";
import { createBoss, createQueues } from "../../app/jobs/queues/create-boss.server";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated PGlite database (with pg-boss's schema) every integration file starts from. */
    pgliteSnapshot: string | null;
  }
}

const CACHE_DIR = path.resolve("node_modules/.cache/loyalty-tests");

/**
 * Global setup: creating and migrating an embedded database takes ~5 s, loading a copy of one
 * ~1.4 s, and every integration file needs its own. So the first run migrates one and dumps it,
 * named by what it depends on (the migrations, PGlite's and pg-boss's versions); later runs reuse
 * it until one of those changes. Runs against PostgreSQL (TEST_DATABASE_URL) need none.
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("pgliteSnapshot", null);
    return;
  }
  const file = path.join(CACHE_DIR, `pglite-${snapshotKey()}.tar.gz`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const connection = openConnection({ kind: "pglite", dataDir: undefined });
    await migrate(connection);
    const boss = createBoss(connection, { supervise: false });
    await boss.start();
    await createQueues(boss);
    await boss.stop({ graceful: false });
    await writePgliteSnapshot(connection.pglite!, file);
    await connection.close();
  }
  project.provide("pgliteSnapshot", file);
}

function snapshotKey() {
  const hash = createHash("sha256");
  for (const name of fs.readdirSync(MIGRATIONS_DIR).sort()) {
    const sql = path.join(MIGRATIONS_DIR, name, "migration.sql");
    if (fs.existsSync(sql)) hash.update(name).update(fs.readFileSync(sql));
  }
  for (const pkg of ["@electric-sql/pglite", "pg-boss"]) {
    const manifest = JSON.parse(fs.readFileSync(`node_modules/${pkg}/package.json`, "utf8"));
    hash.update(`${pkg}@${manifest.version}`);
  }
  return hash.digest("hex").slice(0, 16);
}
