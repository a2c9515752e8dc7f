import type { Job, JobResult } from "pg-boss";
import { logger } from "~/lib/logger.server";

/**
 * Runs a batch's jobs concurrently and settles each on its own: one delivery's failure is retried
 * without failing (and redoing) the others in its batch.
 */
export async function settleEach<T>(
  jobs: Job<T>[],
  run: (job: Job<T>) => Promise<unknown>,
): Promise<JobResult[]> {
  const outcomes = await Promise.allSettled(jobs.map(run));
  return outcomes.map((outcome, index) => {
    const id = jobs[index]!.id;
    if (outcome.status === "fulfilled") return { id, status: "completed" };
    const message = String((outcome.reason as Error)?.message ?? outcome.reason);
    logger.warn("job failed; pg-boss retries it", { id, error: message.slice(0, 500) });
    return { id, status: "failed", output: { message } };
  });
}
