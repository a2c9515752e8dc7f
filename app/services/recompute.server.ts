import prisma from "~/db.server";
import type { ConfigArea, ProgramConfig } from "~/domain/program";
import { queueFlowDelivery } from "~/jobs/flow-delivery.server";
import { queueKlaviyoDelivery } from "~/jobs/klaviyo.server";
import { logger } from "~/lib/logger.server";
import { shopTimeZone } from "./daily/context";
import { payEntryBonuses } from "./recompute/entry-bonuses.server";
import { grantTierEntryRewardsLater } from "./reward-grants.server";
import { placeBatchInTiers } from "./recompute/placement.server";

/**
 * Members per statement: each batch is a few hash aggregates over one customer id range, so big
 * batches amortise the per-statement cost; small enough that a batch's locks stay short.
 */
export const RECOMPUTE_BATCH_SIZE = 50_000;

export interface RecomputeReport {
  batches: number;
  /** Active members the recompute went through (all of them are sent to Klaviyo again). */
  members: number;
  /** Members whose tier changed (one tier.updated event each). */
  tierChanges: number;
  /** Tier entry bonuses paid to members the recompute moved into a tier. */
  entryBonuses: number;
  /** Where the time went (ms, summed over batches): finding batch ends, tiers, entry bonuses. */
  timings: { batchEndsMs: number; tiersMs: number; entryBonusesMs: number };
}

/**
 * After a program save changed tiers or expiry: recomputes the member fields those settings
 * drive for every member of the shop, set-based (ADR 0019, 0039). When tiers changed, per batch of
 * members (a customer id range, so the members' orders are one index range too) one statement
 * measures the members, places them in the new tiers and writes their tier.updated events with
 * deliveries, and one pays the entry bonuses of the tiers entered. Each batch is its own
 * transaction; running it again changes no tier and pays no bonus twice. Profiles are marked for
 * a Klaviyo re-sync once for the whole shop.
 */
export async function recomputeMembers(
  shopId: string,
  previous: ProgramConfig,
  next: ProgramConfig,
  changed: readonly ConfigArea[],
  now = new Date(),
  batchSize = RECOMPUTE_BATCH_SIZE,
  /** Called after each committed batch with the running totals (progress for the admin). */
  onBatch?: (progress: RecomputeReport) => Promise<void>,
): Promise<RecomputeReport> {
  const report: RecomputeReport = {
    batches: 0,
    members: 0,
    tierChanges: 0,
    entryBonuses: 0,
    timings: { batchEndsMs: 0, tiersMs: 0, entryBonusesMs: 0 },
  };
  const timed = async <T>(key: keyof RecomputeReport["timings"], work: () => Promise<T>) => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      report.timings[key] += Math.round(performance.now() - started);
    }
  };
  if (!changed.includes("tiers") && !changed.includes("expiry")) return report;
  if (!changed.includes("tiers")) {
    // Expiry drives no member column, only what profiles show: nothing to place, all to re-send.
    report.members = await prisma.member.count({ where: { shopId, status: "active" } });
  } else {
    const shop = await prisma.shop.findUniqueOrThrow({
      where: { id: shopId },
      select: { timeZone: true },
    });
    const timeZone = shopTimeZone(shop.timeZone);
    let after: bigint | null = null;
    for (;;) {
      const until: bigint | null = await timed("batchEndsMs", () =>
        batchEnd(shopId, after, batchSize),
      );
      const range = { from: after, to: until };
      const batch = await prisma.$transaction(
        async (tx) => {
          const placed = await timed("tiersMs", () =>
            placeBatchInTiers(tx, shopId, previous, next, range, now, timeZone),
          );
          const bonuses = await timed("entryBonusesMs", () =>
            payEntryBonuses(tx, shopId, next.tiers, placed.entries, now),
          );
          await grantTierEntryRewardsLater(
            tx,
            shopId,
            next.bonuses.tierEntryRewardHandle,
            placed.entries,
          );
          if (placed.tierChanges + bonuses > 0) {
            await queueFlowDelivery(tx, shopId);
            await queueKlaviyoDelivery(tx, shopId);
          }
          return { ...placed, bonuses };
        },
        { timeout: 300_000 },
      );
      // Counted once committed: a failed batch leaves the totals as they were.
      report.members += batch.members;
      report.tierChanges += batch.tierChanges;
      report.entryBonuses += batch.bonuses;
      report.batches += 1;
      await onBatch?.({ ...report, timings: { ...report.timings } });
      if (until === null) break;
      after = until;
    }
  }
  await requestProfileResync(shopId);
  logger.info("members recomputed", { shopId, changed, ...report });
  return report;
}

/** The last customer id of the batch after `after`, or null when the batch reaches the end. */
async function batchEnd(shopId: string, after: bigint | null, size: number) {
  const rows = await prisma.$queryRaw<{ customerId: bigint }[]>`
    SELECT "customerId" FROM "Member"
    WHERE "shopId" = ${shopId}::uuid AND "customerId" > ${after ?? -1n}
    ORDER BY "customerId"
    OFFSET ${size - 1} LIMIT 1`;
  return rows[0]?.customerId ?? null;
}

/**
 * Every Klaviyo profile synced before now is sent again (profile-sync's stale check): one row per
 * shop instead of a write to every member (ADR 0039). A shop that never connected Klaviyo has no
 * row, and all of its profiles are sent on first connect anyway.
 */
async function requestProfileResync(shopId: string) {
  // The wall clock, not the injected `now`: profiles synced while the recompute ran count too.
  await prisma.klaviyoConnection.updateMany({
    where: { shopId },
    data: { resyncRequestedAt: new Date() },
  });
}
