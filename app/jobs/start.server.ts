import { database } from "~/db.server";
import { getBoss, stopBoss, workersRunInline } from "./queues/boss.server";
import { registerWorkers } from "./workers/index.server";
import { stopWebhookClaims } from "./workers/webhooks/claims.worker";

declare global {
  var loyaltyWorkersRegistered: boolean | undefined;
}

/**
 * Starts the jobs of this process: pg-boss always (senders need it), and the workers where they
 * run (with the embedded database, in the web process; with PostgreSQL, in `npm run worker`).
 * Only entry points call this (app/entry.server.tsx, app/jobs/worker.ts, the sandbox): it is the
 * one module above the workers, so no service ever imports a worker.
 */
export async function startJobs(options: { workers?: boolean } = {}) {
  const workers = options.workers ?? workersRunInline();
  const boss = await getBoss({ supervise: workers });
  if (workers && !globalThis.loyaltyWorkersRegistered) {
    globalThis.loyaltyWorkersRegistered = true;
    await registerWorkers(boss);
  }
  return boss;
}

/** Stops the webhook claim loop and pg-boss (waiting for work in hand) and closes the database. */
export async function shutdown() {
  await stopWebhookClaims();
  globalThis.loyaltyWorkersRegistered = undefined;
  await stopBoss();
  await database.close();
  globalThis.loyaltyDatabase = undefined;
}
