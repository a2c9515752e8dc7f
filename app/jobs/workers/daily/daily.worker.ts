import { createHash } from "node:crypto";
import type { JobInsert, PgBoss } from "pg-boss";
import { logger } from "~/lib/logger.server";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { installedShopDays } from "~/services/daily/shops.server";
import { QUEUES, type DailyShopJob } from "../../queues/definitions";

/**
 * The scheduler. Shops live in every time zone, so one cron time cannot be "the start of the day"
 * for all of them: an hourly UTC tick instead queues each shop's run for its current local date,
 * and the first tick after a shop's local midnight (within the hour) is the one that starts it.
 *
 * Once per shop and local day, even with several workers: the job's id is derived from
 * `<shopId>:<local date>` (also its singletonKey), and pg-boss inserts with ON CONFLICT DO NOTHING
 * on the job's primary key, so the next ticks of that day, or a second tick of the same hour,
 * queue nothing while the day's job is kept (7 days, queues.ts). The run itself is idempotent, so
 * this only saves work; it is not what keeps points from being expired or paid twice.
 */
export const DAILY_TICK_CRON = "0 * * * *";

const INSERT_CHUNK = 500;

/** A stable UUID for a shop's day (SHA-256 based, version bits of a name-based UUID). */
export function dailyJobId(singletonKey: string): string {
  const hex = createHash("sha256").update(`${QUEUES.dailyShop.name}:${singletonKey}`).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join("-");
}

/** Queues today's run for every installed shop that has none yet; returns how many were new. */
export async function queueDailyRuns(boss: PgBoss, now = new Date()): Promise<number> {
  const jobs: JobInsert<DailyShopJob>[] = (await installedShopDays(now)).map((day) => {
    const singletonKey = `${day.shopId}:${day.localDate}`;
    return { id: dailyJobId(singletonKey), singletonKey, data: day };
  });
  let queued = 0;
  for (let start = 0; start < jobs.length; start += INSERT_CHUNK) {
    const ids = await boss.insert(QUEUES.dailyShop.name, jobs.slice(start, start + INSERT_CHUNK), {
      returnId: true,
    });
    queued += ids?.length ?? 0;
  }
  if (queued > 0) logger.info("daily runs queued", { queued, shops: jobs.length });
  return queued;
}

/** The cron schedule and both workers; called where workers run (ADR 0004). */
export async function registerDailyJobs(boss: PgBoss) {
  // schedule() upserts by name, so every worker process may call it on boot.
  await boss.schedule(QUEUES.dailyTick.name, DAILY_TICK_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.dailyTick.name, async () => {
    await queueDailyRuns(boss);
  });
  // One shop per job, so one shop's failure retries only that shop; two at a time per process.
  const options = { batchSize: 1, localConcurrency: 2 };
  await boss.work<DailyShopJob>(QUEUES.dailyShop.name, options, async (jobs) => {
    for (const job of jobs) await runDailyMaintenance(job.data.shopId);
  });
}
