import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DatabaseConnection, ScriptSession } from "./connection.server";

export const MIGRATIONS_DIR = path.resolve("prisma", "migrations");

// Prisma's own lock id, so this runner and `prisma migrate` never run at the same time.
const MIGRATION_LOCK_ID = 72707369;

/**
 * Applies prisma/migrations/* in order, recording each in Prisma's `_prisma_migrations` table with
 * Prisma's checksum (sha256 of migration.sql), so `prisma migrate status`/`dev` agree with it.
 * Why not `prisma migrate deploy`: its JS schema engine cannot read PostgreSQL's `name` type through
 * @prisma/adapter-pg (prisma/orm#27403) and takes ~17 s on PGlite. See ADR 0003.
 */
export async function migrate(connection: DatabaseConnection, dir = MIGRATIONS_DIR) {
  const migrations = readMigrations(dir);
  return connection.withScriptSession(async (session) => {
    const locking = connection.target.kind === "postgres";
    if (locking) await session.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    try {
      await ensureMigrationsTable(session);
      const applied = await appliedMigrations(session);
      const ran: string[] = [];
      for (const migration of migrations) {
        const previous = applied.get(migration.name);
        if (previous !== undefined) {
          if (previous !== migration.checksum) {
            throw new Error(`migration ${migration.name} was changed after it was applied`);
          }
          continue;
        }
        await applyMigration(session, migration);
        ran.push(migration.name);
      }
      return { applied: ran, total: migrations.length };
    } finally {
      if (locking) await session.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
    }
  });
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

async function ensureMigrationsTable(session: ScriptSession) {
  await session.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
}

async function appliedMigrations(session: ScriptSession) {
  const rows = await session.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations"
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  return new Map(rows.map((row) => [row.migration_name, row.checksum]));
}

async function applyMigration(session: ScriptSession, migration: Migration) {
  // The script and its record commit together: a failed migration leaves no trace to clean up.
  await session.exec("BEGIN");
  try {
    await session.exec(migration.sql);
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await session.exec("COMMIT");
  } catch (error) {
    await session.exec("ROLLBACK");
    throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`);
  }
}
