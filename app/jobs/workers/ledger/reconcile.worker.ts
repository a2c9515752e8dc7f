import type { PgBoss } from "pg-boss";
import { logger } from "~/lib/logger.server";
import { reconcileLedger, shopsToReconcile } from "~/services/ledger/reconcile.server";
import { QUEUES } from "../../queues/definitions";

// Nightly, at a quiet hour for most shops; the check is read-only apart from drift rows.
const RECONCILE_CRON = "20 4 * * *";

export async function registerReconciliationJobs(boss: PgBoss) {
  // schedule() upserts by name, so every worker process may call it on boot.
  await boss.schedule(QUEUES.reconcile.name, RECONCILE_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.reconcile.name, async () => {
    await runReconciliation();
  });
}

/** Reconciles every shop's ledger; drift is recorded, not thrown (a retry would find the same). */
export async function runReconciliation(now = new Date()) {
  const reports = [];
  for (const shopId of await shopsToReconcile()) reports.push(await reconcileLedger(shopId, now));
  logger.info("ledger reconciled", {
    shops: reports.length,
    members: reports.reduce((n, r) => n + r.membersChecked, 0),
    drifted: reports.reduce((n, r) => n + r.drifted, 0),
  });
  return reports;
}
