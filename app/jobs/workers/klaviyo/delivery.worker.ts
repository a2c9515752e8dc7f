import type { PgBoss } from "pg-boss";
import prisma from "~/db.server";
import { logger } from "~/lib/logger.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { QUEUES, type KlaviyoDeliveryJob } from "../../queues/definitions";

const SWEEP_CRON = "* * * * *";

export async function registerKlaviyoJobs(boss: PgBoss) {
  await boss.work<KlaviyoDeliveryJob>(QUEUES.klaviyoDelivery.name, async ([job]) => {
    if (!job) return;
    const { shopId } = job.data;
    const report = await drainKlaviyo(shopId);
    logger.info("klaviyo drain", { shopId, state: report.state, ...summary(report) });
    if (report.state === "paused" && report.pause.until) {
      await boss.send(
        QUEUES.klaviyoDelivery.name,
        { shopId },
        {
          ...QUEUES.klaviyoDelivery.options,
          singletonKey: `${shopId}:resume`,
          startAfter: report.pause.until,
        },
      );
    }
  });
  await boss.schedule(QUEUES.klaviyoSweep.name, SWEEP_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.klaviyoSweep.name, async () => {
    const shops = await prisma.klaviyoConnection.findMany({
      where: { status: "connected" },
      select: { shopId: true },
    });
    for (const { shopId } of shops) {
      await boss.send(
        QUEUES.klaviyoDelivery.name,
        { shopId },
        {
          ...QUEUES.klaviyoDelivery.options,
          singletonKey: shopId,
          singletonSeconds: 2,
        },
      );
    }
  });
}

function summary(report: Awaited<ReturnType<typeof drainKlaviyo>>) {
  if (report.state === "not_connected") return {};
  if (report.state === "paused") {
    return {
      until: report.pause.until?.toISOString() ?? null,
      delivered: report.events?.delivered ?? 0,
    };
  }
  return {
    delivered: report.events.delivered + report.backfill.delivered,
    failed: report.events.failed + report.backfill.failed,
    profiles: report.profiles.synced,
    profileJobs: report.profiles.jobs,
  };
}
