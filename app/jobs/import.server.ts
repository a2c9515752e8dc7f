import { fromPrisma, type PgBoss } from "pg-boss";
import type { Prisma } from "@prisma/client";
import { applyImport } from "~/services/import-export/import.server";
import { getBoss } from "./runtime.server";
import { QUEUES, type ImportApplyJob } from "./queues";

/** Queues applying a checked import, in the caller's transaction (with the run's state change). */
export async function queueImportApply(tx: Prisma.TransactionClient, job: ImportApplyJob) {
  const boss = await getBoss();
  await boss.send(QUEUES.importApply.name, job, {
    ...QUEUES.importApply.options,
    singletonKey: job.importRunId,
    db: fromPrisma(tx),
  });
}

export async function registerImportJobs(boss: PgBoss) {
  await boss.work<ImportApplyJob>(QUEUES.importApply.name, async ([job]) => {
    if (job) await applyImport(job.data.shopId, job.data.importRunId);
  });
}
