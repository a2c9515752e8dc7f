import prisma, { database } from "~/db.server";
import type { ConfigArea, ProgramConfig } from "~/domain/program/index";
import { queueFlowDelivery } from "~/jobs/queues/send.server";
import { queueKlaviyoDelivery } from "~/jobs/queues/send.server";
import { logger } from "~/lib/logger.server";
import { shopTimeZone } from "~/domain/calendar";
import { payEntryBonuses } from "./entry-bonuses.server";
import { grantTierEntryRewardsLater } from "../rewards/grants/record.server";
import { measureBatch, moveMembers, type CustomerRange } from "./placement.server";

/**
 * Members per statement: each batch is a few hash aggregates over one customer id range, so big
 * batches amortise the per-statement cost; small enough that a batch's locks stay short.
 */
export const RECOMPUTE_BATCH_SIZE = 50_000;

/**
 * Batches in flight at once on PostgreSQL, each its own transaction on its own connection: one
 * batch's read keeps one core busy, so two use the machine as a parallel query would (ADR 0048).
 * PGlite runs one session, so there the batches run one after another.
 */
export const RECOMPUTE_CONCURRENCY = 2;

export interface RecomputeReport {
  batches: number;
  /** Active members the recompute went through (all of them are sent to Klaviyo again). */
  members: number;
  /** Members whose tier changed (one tier.updated event each). */
  tierChanges: number;
  /** Tier entry bonuses paid to members the recompute moved into a tier. */
  entryBonuses: number;
  /** Batches run at once. */
  concurrency: number;
  /**
   * Where the time went (ms). Per batch, summed over batches (so with concurrency > 1 they add up
   * to more than the wall time): the read that measures the batch, the write of its moves, the
   * entry bonuses, and the whole transaction (begin to commit, so it includes the other three,
   * the wake-ups and the commit). The batch ends' reads, one at a time while batches run. Wall:
   * all batches, from the first start to the last commit.
   */
  timings: {
    batchEndsMs: number;
    readMs: number;
    movesMs: number;
    entryBonusesMs: number;
    transactionsMs: number;
    batchesWallMs: number;
  };
}

/**
 * After a program save changed tiers or expiry: recomputes the member fields those settings
 * drive for every member of the shop, set-based (ADR 0019, 0039, 0048). When tiers changed, per
 * batch of members (a customer id range, so the members' orders are one index range too) one
 * statement measures the members and places them in the new tiers, one writes the moved members
 * with their tier.updated events and deliveries, and one pays the entry bonuses of the tiers
 * entered. Each batch is its own transaction, and up to `concurrency` batches run at once on
 * their own connections (their members never overlap); running it again changes no tier and pays
 * no bonus twice. Profiles are marked for a Klaviyo re-sync once for the whole shop.
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
  concurrency = database.target.kind === "postgres" ? RECOMPUTE_CONCURRENCY : 1,
): Promise<RecomputeReport> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`recompute batch size must be a positive integer, got ${batchSize}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`recompute concurrency must be a positive integer, got ${concurrency}`);
  }
  const report: RecomputeReport = {
    batches: 0,
    members: 0,
    tierChanges: 0,
    entryBonuses: 0,
    concurrency,
    timings: {
      batchEndsMs: 0,
      readMs: 0,
      movesMs: 0,
      entryBonusesMs: 0,
      transactionsMs: 0,
      batchesWallMs: 0,
    },
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
    // The next batch's range, one at a time: each end is an index-only OFFSET from the last
    // (a few ms), found while the batches before it run.
    let after: bigint | null = null;
    let finished = false;
    let cursor: Promise<CustomerRange | null> = Promise.resolve(null);
    const nextRange = () => {
      cursor = cursor.then(async () => {
        if (finished) return null;
        const until = await timed("batchEndsMs", () => batchEnd(shopId, after, batchSize));
        const range = { from: after, to: until };
        if (until === null) finished = true;
        else after = until;
        return range;
      });
      return cursor;
    };
    // Progress is written in commit order, one write at a time, so it never goes backwards.
    let progress = Promise.resolve();
    const runBatch = async (range: CustomerRange) => {
      const batch = await timed("transactionsMs", () =>
        prisma.$transaction(
          async (tx) => {
            const measured = await timed("readMs", () =>
              measureBatch(tx, shopId, next, range, now),
            );
            const placed = await timed("movesMs", () =>
              moveMembers(tx, shopId, previous, next, measured.moves, now, timeZone),
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
            return { members: measured.members, tierChanges: placed.tierChanges, bonuses };
          },
          { timeout: 300_000 },
        ),
      );
      // Counted once committed: a failed batch leaves the totals as they were.
      report.members += batch.members;
      report.tierChanges += batch.tierChanges;
      report.entryBonuses += batch.bonuses;
      report.batches += 1;
      const snapshot = { ...report, timings: { ...report.timings } };
      progress = progress.then(() => onBatch?.(snapshot));
      await progress;
    };
    await timed("batchesWallMs", () => eachBounded(nextRange, concurrency, runBatch));
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
 * Runs `work` on each item `next` hands out (until it hands out null), at most `limit` at once,
 * each started when one before it ends. After a failure no new item starts; the ones running
 * finish (commit or roll back), then the first error is thrown.
 */
async function eachBounded<T>(
  next: () => Promise<T | null>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure) {
      try {
        const item = await next();
        if (item === null) return;
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  if (failure) throw failure.error;
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
