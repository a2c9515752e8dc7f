import { fromPrisma, type PgBoss } from "pg-boss";
import type { Prisma } from "@prisma/client";
import { offlineAdmin } from "~/integrations/shopify/offline-admin.server";
import { pruneProxyCounters } from "~/services/proxy-rate-limit.server";
import { publishStorefrontProgram } from "~/services/storefront-program.server";
import { getBoss } from "./runtime.server";
import { QUEUES, type StorefrontPublishJob } from "./queues";

/**
 * Queues publishing the program metafield in the caller's transaction (with the save), so it
 * exists if and only if the save does; the singleton slot keeps one waiting job per shop.
 */
export async function queueStorefrontPublish(tx: Prisma.TransactionClient, shopId: string) {
  const boss = await getBoss();
  const job: StorefrontPublishJob = { shopId };
  await boss.send(QUEUES.storefrontPublish.name, job, {
    ...QUEUES.storefrontPublish.options,
    singletonKey: shopId,
    singletonSeconds: 2,
    singletonNextSlot: true,
    db: fromPrisma(tx),
  });
}

export async function registerStorefrontJobs(boss: PgBoss) {
  await boss.work<StorefrontPublishJob>(QUEUES.storefrontPublish.name, async ([job]) => {
    if (job) await publishStorefrontProgram(job.data.shopId, offlineAdmin);
  });
  // schedule() upserts by name, so every worker process may call it on boot.
  await boss.schedule(QUEUES.proxyCounterPrune.name, "17 3 * * *", null, { tz: "UTC" });
  await boss.work(QUEUES.proxyCounterPrune.name, async () => {
    await pruneProxyCounters(new Date());
  });
}
