import prisma from "~/db.server";
import { describeConfigChange } from "~/domain/program/index";
import type { RecomputeJob } from "~/jobs/queues/definitions";
import { programVersionConfig } from "../program/versions.server";
import { RECOMPUTE_BATCH_SIZE, recomputeMembers } from "./run.server";

/**
 * Runs a queued recompute: the two saved versions say what changed. Its RecomputeRun row (written
 * by the save) records progress after every batch; a failed attempt is marked and rethrown so
 * pg-boss retries it, and the retry starts the count again (the recompute is idempotent).
 */
export async function runRecompute(job: RecomputeJob) {
  const run = { shopId: job.shopId, toVersion: job.toVersion };
  await prisma.recomputeRun.updateMany({
    where: run,
    data: { state: "running", startedAt: new Date(), processedMembers: 0, lastError: null },
  });
  try {
    const previous = await programVersionConfig(prisma, job.shopId, job.fromVersion);
    const next = await programVersionConfig(prisma, job.shopId, job.toVersion);
    const report = await recomputeMembers(
      job.shopId,
      previous,
      next,
      describeConfigChange(previous, next),
      new Date(),
      RECOMPUTE_BATCH_SIZE,
      async (progress) => {
        await prisma.recomputeRun.updateMany({
          where: run,
          data: { processedMembers: progress.members, tierChanges: progress.tierChanges },
        });
      },
    );
    await prisma.recomputeRun.updateMany({
      where: run,
      data: {
        state: "done",
        finishedAt: new Date(),
        processedMembers: report.members,
        tierChanges: report.tierChanges,
      },
    });
    return report;
  } catch (error) {
    await prisma.recomputeRun.updateMany({
      where: run,
      data: { state: "failed", lastError: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
}
