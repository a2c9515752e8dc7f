import type { PgBoss } from "pg-boss";
import { database } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { createBoss, createQueues } from "./create-boss.server";

declare global {
  var loyaltyBoss: Promise<PgBoss> | undefined;
}

/**
 * Whether this process runs the job workers. PGlite has one owner per data folder, so with the
 * embedded database the workers must live in the web process; with PostgreSQL they default to a
 * separate `npm run worker` process (WORKERS=inline overrides, e.g. for a single small instance).
 */
export function workersRunInline(): boolean {
  const setting = process.env.WORKERS;
  if (setting === "inline") return true;
  if (setting === "off") return false;
  return database.target.kind === "pglite";
}

/**
 * The process's pg-boss, started once; senders and workers share it. Starting it registers no
 * worker: that is app/jobs/start.server.ts's job, called by the entry points, so this send side
 * imports no service and any service may import it (docs/decisions/0053).
 */
export function getBoss(options: { supervise?: boolean } = {}): Promise<PgBoss> {
  globalThis.loyaltyBoss ??= start(options.supervise ?? workersRunInline());
  return globalThis.loyaltyBoss;
}

async function start(supervise: boolean) {
  const boss = createBoss(database, { supervise });
  await boss.start();
  await createQueues(boss);
  logger.info("jobs started", { supervise, database: database.target.kind });
  return boss;
}

/** Stops pg-boss, waiting for work in hand; the next getBoss() starts a new one. */
export async function stopBoss() {
  const boss = globalThis.loyaltyBoss;
  globalThis.loyaltyBoss = undefined;
  if (boss) await (await boss).stop({ graceful: true, timeout: 10_000 });
}
