import type { PgBoss } from "pg-boss";
import prisma from "~/db.server";
import { logger } from "~/lib/logger.server";
import { drainOmnisend } from "~/services/omnisend/drain.server";
import { QUEUES, type OmnisendDeliveryJob } from "../../queues/definitions";

const SWEEP_CRON = "* * * * *";

export async function registerOmnisendJobs(boss: PgBoss) {
  await boss.work<OmnisendDeliveryJob>(QUEUES.omnisendDelivery.name, async ([job]) => {
    if (!job) return;
    const { shopId } = job.data;
    const report = await drainOmnisend(shopId);
    if (report.state === "not_connected") return;
    logger.info("omnisend drain", {
      shopId,
      state: report.state,
      ...report.events,
      contacts: report.contacts,
    });
    // Paused: come back when the pause ends. More: the time budget ran out, go on at once.
    const startAfter =
      report.state === "paused" ? report.pause.until : report.state === "more" ? new Date() : null;
    if (!startAfter) return;
    await boss.send(
      QUEUES.omnisendDelivery.name,
      { shopId },
      { ...QUEUES.omnisendDelivery.options, singletonKey: `${shopId}:resume`, startAfter },
    );
  });
  await boss.schedule(QUEUES.omnisendSweep.name, SWEEP_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.omnisendSweep.name, async () => {
    const shops = await prisma.omnisendConnection.findMany({
      where: { status: "connected" },
      select: { shopId: true },
    });
    for (const { shopId } of shops) {
      await boss.send(
        QUEUES.omnisendDelivery.name,
        { shopId },
        { ...QUEUES.omnisendDelivery.options, singletonKey: shopId, singletonSeconds: 2 },
      );
    }
  });
}
