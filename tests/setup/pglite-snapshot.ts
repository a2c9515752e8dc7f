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
    /** Where each integration file reports the catalog enum values its events carried. */
    eventCoverageDir: string | null;
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
  const coverage = startEventCoverage(project);
  if (process.env.TEST_DATABASE_URL) {
    project.provide("pgliteSnapshot", null);
    return coverage;
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
  return coverage;
}

/**
 * Every value of every catalog enum must be produced by some integration test through a real
 * route or job (issue #21): a value declared but never produced fails the run that ran every
 * integration file, naming it. A run of some files only checks nothing.
 */
function startEventCoverage(project: TestProject) {
  const dir = path.join(CACHE_DIR, `event-coverage-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  project.provide("eventCoverageDir", dir);
  return async () => {
    const reports = fs.readdirSync(dir);
    const produced = new Set(
      reports.flatMap((name) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"))),
    );
    fs.rmSync(dir, { recursive: true, force: true });
    if (reports.length < integrationFiles().length) return;
    const { catalogEnums, unproducedValues } = await import("../../app/domain/events/enums");
    const missing = unproducedValues(catalogEnums(), produced as Set<string>);
    if (missing.length > 0) {
      throw new Error(
        `Catalog enum values no integration test produces through a route or job:\n  ${missing.join("\n  ")}`,
      );
    }
  };
}

function integrationFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return entry.name.endsWith(".test.ts") ? [full] : [];
    });
  return walk(path.resolve("tests/integration"));
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
