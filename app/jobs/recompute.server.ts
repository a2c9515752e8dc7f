import { fromPrisma, type PgBoss } from "pg-boss";
import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { describeConfigChange } from "~/domain/program";
import { programVersionConfig } from "~/services/program.server";
import { recomputeMembers } from "~/services/recompute.server";
import { getBoss } from "./runtime.server";
import { QUEUES, type RecomputeJob } from "./queues";

/** Queues the recompute in the caller's transaction, so it exists if and only if the save does. */
export async function queueRecompute(tx: Prisma.TransactionClient, job: RecomputeJob) {
  const boss = await getBoss();
  await boss.send(QUEUES.recompute.name, job, {
    ...QUEUES.recompute.options,
    db: fromPrisma(tx),
  });
}

/** Runs a queued recompute: the two saved versions say what changed. */
export async function runRecompute(job: RecomputeJob) {
  const previous = await programVersionConfig(prisma, job.shopId, job.fromVersion);
  const next = await programVersionConfig(prisma, job.shopId, job.toVersion);
  return recomputeMembers(job.shopId, previous, next, describeConfigChange(previous, next));
}

export async function registerRecomputeJobs(boss: PgBoss) {
  await boss.work<RecomputeJob>(QUEUES.recompute.name, async ([job]) => {
    if (job) await runRecompute(job.data);
  });
}
