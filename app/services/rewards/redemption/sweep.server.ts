import prisma from "~/db.server";
import type { AdminCall } from "~/integrations/shopify/rewards.server";
import { logger } from "~/lib/logger.server";
import { noteHeld, returnPoints } from "./finish.server";
import { removeShopifyReward } from "./shopify-step.server";

/** A hold older than this has lost its request (crash, deploy, timeout): the sweeper settles it. */
export const STALE_HOLD_MS = 5 * 60_000;

const staleBefore = (now: Date) => new Date(now.getTime() - STALE_HOLD_MS);

/** Shops that have holds old enough for the sweeper. */
export async function shopsWithStaleHolds(now: Date): Promise<string[]> {
  const rows = await prisma.redemption.findMany({
    where: { state: "held", createdAt: { lt: staleBefore(now) } },
    distinct: ["shopId"],
    select: { shopId: true },
  });
  return rows.map((r) => r.shopId);
}

export interface SweepReport {
  reverted: number;
  /** Still held: Shopify unreachable, or store credit / gift card needing a person to check. */
  waiting: number;
}

/**
 * Settles a shop's stale held redemptions: makes sure no usable code exists (lookup by the
 * redemption's code, delete), then returns the points. Store credit and gift cards cannot be
 * looked up by the redemption, so they stay held with a note for the merchant instead of risking
 * "credit given and points returned".
 */
export async function sweepStaleRedemptions(
  shopId: string,
  api: AdminCall,
  now = new Date(),
  batchSize = 100,
): Promise<SweepReport> {
  const stale = await prisma.redemption.findMany({
    where: { shopId, state: "held", createdAt: { lt: staleBefore(now) } },
    orderBy: { createdAt: "asc" },
    take: batchSize,
  });
  const report: SweepReport = { reverted: 0, waiting: 0 };
  for (const redemption of stale) {
    try {
      const removal = await removeShopifyReward(api, redemption);
      if (removal === "unverifiable") {
        await noteHeld(
          redemption,
          "needs review: the store credit or gift card may exist at Shopify",
        );
        report.waiting++;
        continue;
      }
      const reason = `abandoned hold settled by the sweeper (${removal})`;
      if (await returnPoints(redemption, { from: "held", to: "reverted", reason }, now)) {
        report.reverted++;
      }
    } catch (error) {
      report.waiting++;
      logger.warn("stale redemption not settled yet", {
        redemptionId: redemption.id,
        error: String(error),
      });
    }
  }
  return report;
}
