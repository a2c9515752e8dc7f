import type { PgBoss } from "pg-boss";
import { offlineAdmin } from "~/integrations/shopify/offline-admin.server";
import { eraseStaleInvitationAddresses } from "~/services/referrals/invites.server";
import { pruneProxyCounters } from "~/services/storefront/rate-limit.server";
import { publishStorefrontProgram } from "~/services/storefront/program.server";
import { QUEUES, type StorefrontPublishJob } from "../../queues/definitions";

export async function registerStorefrontJobs(boss: PgBoss) {
  await boss.work<StorefrontPublishJob>(QUEUES.storefrontPublish.name, async ([job]) => {
    if (job) await publishStorefrontProgram(job.data.shopId, offlineAdmin);
  });
  // schedule() upserts by name, so every worker process may call it on boot.
  await boss.schedule(QUEUES.proxyCounterPrune.name, "17 3 * * *", null, { tz: "UTC" });
  await boss.work(QUEUES.proxyCounterPrune.name, async () => {
    await pruneProxyCounters(new Date());
    // The same daily sweep forgets invitation addresses that were never delivered (ADR 0056).
    await eraseStaleInvitationAddresses(new Date());
  });
}
