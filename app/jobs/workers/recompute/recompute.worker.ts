import type { PgBoss } from "pg-boss";
import { runRecompute } from "~/services/recompute/queued-run.server";
import { QUEUES, type RecomputeJob } from "../../queues/definitions";

export async function registerRecomputeJobs(boss: PgBoss) {
  // Polled every half second (pg-boss's minimum): the merchant who just saved watches the
  // progress, and an idle poll is one cheap query.
  await boss.work<RecomputeJob>(
    QUEUES.recompute.name,
    { pollingIntervalSeconds: 0.5 },
    async ([job]) => {
      if (job) await runRecompute(job.data);
    },
  );
}
