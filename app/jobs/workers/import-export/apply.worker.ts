import type { PgBoss } from "pg-boss";
import { applyImport } from "~/services/import-export/import.server";
import { QUEUES, type ImportApplyJob } from "../../queues/definitions";

export async function registerImportJobs(boss: PgBoss) {
  await boss.work<ImportApplyJob>(QUEUES.importApply.name, async ([job]) => {
    if (job) await applyImport(job.data.shopId, job.data.importRunId);
  });
}
