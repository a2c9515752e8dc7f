import type { PgBoss } from "pg-boss";
import prisma from "~/db.server";
import { offlineAdmin } from "~/integrations/shopify/offline-admin.server";
import { advanceHistoryImport } from "~/services/history-import/run.server";
import { QUEUES, type HistoryImportJob } from "../../queues/definitions";
import { queueHistoryImport } from "../../queues/send.server";

/**
 * history.import: moves an import on by one run (start the bulk operations, look at them, or
 * apply results for a time budget) and queues the next run. Shopify's bulk_operations/finish
 * webhook queues a run too, so a finished operation is picked up without waiting for the poll.
 */
export async function registerHistoryImportJobs(boss: PgBoss) {
  await boss.work<HistoryImportJob>(QUEUES.historyImport.name, async ([job]) => {
    if (!job) return;
    const shop = await prisma.shop.findUnique({
      where: { id: job.data.shopId },
      select: { domain: true, uninstalledAt: true },
    });
    if (!shop || shop.uninstalledAt) return;
    const admin = await offlineAdmin(shop.domain);
    const next = await advanceHistoryImport(job.data.importId, { admin });
    if (next.kind === "again") await queueHistoryImport(null, job.data);
    if (next.kind === "later") await queueHistoryImport(null, job.data, next.at);
  });
}
