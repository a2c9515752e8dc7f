import type { PgBoss } from "pg-boss";
import { database } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { createBoss, createQueues } from "./boss.server";
import { stopWebhookClaims } from "./webhook-claims.server";
import { registerWorkers } from "./workers.server";

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

/** The process's pg-boss, started once; senders and (when inline) workers share it. */
export function getBoss(options: { workers?: boolean } = {}): Promise<PgBoss> {
  globalThis.loyaltyBoss ??= start(options.workers ?? workersRunInline());
  return globalThis.loyaltyBoss;
}

async function start(withWorkers: boolean) {
  const boss = createBoss(database, { supervise: withWorkers });
  await boss.start();
  await createQueues(boss);
  if (withWorkers) await registerWorkers(boss);
  logger.info("jobs started", { workers: withWorkers, database: database.target.kind });
  return boss;
}

/** Stops the webhook claim loop and pg-boss (waiting for work in hand) and closes the database. */
export async function shutdown() {
  await stopWebhookClaims();
  const boss = globalThis.loyaltyBoss;
  globalThis.loyaltyBoss = undefined;
  if (boss) await (await boss).stop({ graceful: true, timeout: 10_000 });
  await database.close();
  globalThis.loyaltyDatabase = undefined;
}
