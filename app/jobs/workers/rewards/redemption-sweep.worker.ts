import type { PgBoss } from "pg-boss";
import { logger } from "~/lib/logger.server";
import { offlineAdminCall } from "~/lib/offline-admin.server";
import {
  shopsWithStaleHolds,
  sweepStaleRedemptions,
} from "~/services/rewards/redemption/sweep.server";
import { QUEUES } from "../../queues/definitions";

const SWEEP_CRON = "*/5 * * * *";

export async function registerRedemptionSweep(boss: PgBoss) {
  await boss.schedule(QUEUES.redemptionSweep.name, SWEEP_CRON, null, { tz: "UTC" });
  await boss.work(QUEUES.redemptionSweep.name, async () => {
    await sweepAllShops();
  });
}

/** One pass over every shop with stale holds; a shop without Shopify access waits for the next. */
export async function sweepAllShops(now = new Date()) {
  for (const shopId of await shopsWithStaleHolds(now)) {
    try {
      const report = await sweepStaleRedemptions(shopId, await offlineAdminCall(shopId), now);
      logger.info("stale redemptions swept", { shopId, ...report });
    } catch (error) {
      logger.warn("redemption sweep skipped a shop", { shopId, error: String(error) });
    }
  }
}
