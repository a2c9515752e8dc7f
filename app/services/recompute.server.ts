import { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { formatIsoDate, localDate } from "~/domain/calendar";
import type { ConfigArea, ProgramConfig } from "~/domain/program";
import { SPEND_WINDOW_DAYS, tierPeriodMs } from "~/domain/tiers";
import { queueFlowDelivery } from "~/jobs/flow-delivery.server";
import { queueKlaviyoDelivery } from "~/jobs/klaviyo.server";
import { logger } from "~/lib/logger.server";
import { shopTimeZone } from "./daily/context";
import { DESTINATIONS } from "./outbox.server";

/** Members per statement: big enough to amortise round trips, small enough for short locks. */
export const RECOMPUTE_BATCH_SIZE = 10_000;
const DAY_MS = 86_400_000;

export interface RecomputeReport {
  batches: number;
  /** Members marked for a profile re-sync. */
  members: number;
  /** Members whose tier changed (one tier.updated event each). */
  tierChanges: number;
  /** Where the time went (ms, summed over batches): finding batch ends, tiers, profile re-sync. */
  timings: { batchEndsMs: number; tiersMs: number; profileSyncMs: number };
}

/**
 * After a program save changed tiers or expiry: recomputes the member fields those settings
 * drive for every member of the shop, set-based (ADR 0019). Per batch of members (a customer id
 * range, so the members' orders are one index range too), one statement places members in the
 * new tiers and writes their tier.updated events with deliveries, and one marks every profile for
 * re-sync. Each batch is its own transaction; running it again changes no tier twice.
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
    timings: { batchEndsMs: 0, tiersMs: 0, profileSyncMs: 0 },
  };
  const timed = async <T>(key: keyof RecomputeReport["timings"], work: () => Promise<T>) => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      report.timings[key] += Math.round(performance.now() - started);
    }
  };
  const tiersChanged = changed.includes("tiers");
  if (!tiersChanged && !changed.includes("expiry")) return report;
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
    await prisma.$transaction(
      async (tx) => {
        if (tiersChanged) {
          // One delivery row per destination for each tier.updated event.
          const deliveries = await timed("tiersMs", () =>
            placeInTiers(tx, shopId, previous, next, range, now, timeZone),
          );
          const changes = deliveries / DESTINATIONS.length;
          report.tierChanges += changes;
          if (changes > 0) {
            await queueFlowDelivery(tx, shopId);
            await queueKlaviyoDelivery(tx, shopId);
          }
        }
        report.members += await timed("profileSyncMs", () =>
          requestProfileSync(tx, shopId, range, now),
        );
      },
      { timeout: 120_000 },
    );
    report.batches += 1;
    await onBatch?.({ ...report });
    if (until === null) break;
    after = until;
  }
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

interface CustomerRange {
  from: bigint | null;
  to: bigint | null;
}

function requestProfileSync(
  tx: Prisma.TransactionClient,
  shopId: string,
  range: CustomerRange,
  now: Date,
) {
  return tx.$executeRaw`
    UPDATE "Member" SET "profileSyncRequestedAt" = ${now}
    WHERE "shopId" = ${shopId}::uuid
      AND "customerId" > ${range.from ?? -1n}
      AND (${range.to}::bigint IS NULL OR "customerId" <= ${range.to}::bigint)
      AND "status" = 'active'`;
}

/**
 * The tier rules of evaluateTier (app/domain/tiers) for a settings change, in one statement:
 * - a member on a tier the program no longer has is placed afresh (spending_assign, or
 *   spending_downgrade to no tier);
 * - a member without a tier who now qualifies is placed (spending_assign);
 * - a member who now qualifies for a higher tier is upgraded at once (spending_upgrade);
 * - lower bars never downgrade before the period ends (the daily review does that), and a manual
 *   lock in force is left alone unless its tier was deleted.
 * The measure is the same as the domain's: lifetime points, or net spend in the 365 days up to
 * now (paid orders, refunds and cancellations each counted when they happened, never below 0).
 * Entered now, the new period ends `periodDays` later. Returns the delivery rows written.
 */
async function placeInTiers(
  tx: Prisma.TransactionClient,
  shopId: string,
  previous: ProgramConfig,
  next: ProgramConfig,
  range: CustomerRange,
  now: Date,
  timeZone: string,
): Promise<number> {
  const tiers = next.tiers;
  const bySpend = tiers[0]?.threshold.kind === "spend_365d";
  const thresholds = tiers.map((t) =>
    t.threshold.kind === "spend_365d" ? t.threshold.minor : t.threshold.points,
  );
  const oldNames = previous.tiers.filter((t) => !tiers.some((n) => n.id === t.id));
  const since = new Date(now.getTime() - SPEND_WINDOW_DAYS * DAY_MS);
  const periodEndsAt = new Date(now.getTime() + tierPeriodMs(next.tierRules.periodDays));
  const entryDate = formatIsoDate(localDate(now, timeZone));
  const from = range.from ?? -1n;
  const to = range.to;
  const query = Prisma.sql`
    WITH tiers AS (
      SELECT * FROM unnest(
        ${tiers.map((t) => t.id)}::text[],
        ${tiers.map((t) => t.name)}::text[],
        ${thresholds}::bigint[]
      ) WITH ORDINALITY AS t(id, name, threshold, rank)
    ),
    old_names AS (
      SELECT * FROM unnest(
        ${oldNames.map((t) => t.id)}::text[],
        ${oldNames.map((t) => t.name)}::text[]
      ) AS o(id, name)
    ),
    measured AS (
      SELECT m."id", m."tierId",
        current_tier."rank" AS current_rank,
        (m."tierLockedUntil" IS NOT NULL AND m."tierLockedUntil" > ${now}) AS locked,
        CASE WHEN ${bySpend}::boolean THEN GREATEST(0, COALESCE(s."minor", 0)) ELSE m."lifetimeEarned" END
          AS measure
      FROM "Member" m
      LEFT JOIN tiers current_tier ON current_tier."id" = m."tierId"
      -- Per member through the (shopId, customerId) index: linear in members and orders whatever
      -- the planner's row estimates (a join against an aggregate can go quadratic without stats).
      LEFT JOIN LATERAL (
        SELECT SUM(o."spendMinor")
          - COALESCE(SUM(r.refunded_in_window), 0)
          - SUM(CASE WHEN o."cancelledAt" > ${since} AND o."cancelledAt" <= ${now}
                     THEN GREATEST(0, o."spendMinor" - COALESCE(r.refunded, 0)) ELSE 0 END) AS minor
        FROM "OrderRecord" o
        LEFT JOIN LATERAL (
          SELECT SUM(rr."amountMinor") AS refunded,
                 SUM(CASE WHEN rr."createdAt" > ${since} AND rr."createdAt" <= ${now}
                          THEN rr."amountMinor" ELSE 0 END) AS refunded_in_window
          FROM "RefundRecord" rr
          WHERE rr."shopId" = o."shopId" AND rr."orderId" = o."orderId"
        ) r ON true
        WHERE ${bySpend}::boolean AND o."shopId" = m."shopId" AND o."customerId" = m."customerId"
          AND o."paidAt" > ${since} AND o."paidAt" <= ${now} AND o."spendMinor" IS NOT NULL
      ) s ON true
      WHERE m."shopId" = ${shopId}::uuid AND m."status" = 'active'
        AND m."customerId" > ${from} AND (${to}::bigint IS NULL OR m."customerId" <= ${to}::bigint)
    ),
    placed AS (
      SELECT measured.*, target."id" AS target_id, target."rank" AS target_rank
      FROM measured
      LEFT JOIN LATERAL (
        SELECT t."id", t."rank" FROM tiers t
        WHERE t."threshold" <= measured."measure"
        ORDER BY t."rank" DESC LIMIT 1
      ) target ON true
    ),
    decided AS MATERIALIZED (
      SELECT placed."id", placed."tierId" AS previous_id, placed.target_id,
        CASE
          WHEN placed."tierId" IS NOT NULL AND placed.current_rank IS NULL THEN
            CASE WHEN placed.target_id IS NULL THEN 'spending_downgrade' ELSE 'spending_assign' END
          WHEN placed."tierId" IS NULL THEN 'spending_assign'
          ELSE 'spending_upgrade'
        END AS change
      FROM placed
      WHERE (placed."tierId" IS NOT NULL AND placed.current_rank IS NULL)
         OR (NOT placed.locked AND placed.target_rank IS NOT NULL
             AND placed.target_rank > COALESCE(placed.current_rank, 0))
    ),
    changed AS (
      UPDATE "Member" m SET
        "tierId" = d.target_id,
        "tierEnteredAt" = CASE WHEN d.target_id IS NULL THEN NULL ELSE ${now}::timestamp END,
        "tierPeriodEndsAt" = CASE WHEN d.target_id IS NULL THEN NULL ELSE ${periodEndsAt}::timestamp END,
        "tierLockedUntil" = NULL,
        "updatedAt" = ${now}
      FROM decided d
      WHERE m."id" = d."id" AND m."tierId" IS NOT DISTINCT FROM d.previous_id
      RETURNING m.*, d.previous_id, d.change
    ),
    events AS (
      INSERT INTO "LoyaltyEvent"
        ("id", "shopId", "memberId", "customerId", "type", "payload", "snapshot", "occurredAt")
      SELECT gen_random_uuid(), c."shopId", c."id", c."customerId", 'tier.updated',
        jsonb_build_object(
          'change', c.change,
          'previous_tier', COALESCE(previous_tier."name", old_tier."name"),
          'current_tier', current_tier."name",
          'entry_date', ${entryDate}::text,
          'locked_until', NULL,
          'expires_at', CASE WHEN c."tierId" IS NULL THEN NULL ELSE ${periodEndsAt.toISOString()}::text END
        ),
        jsonb_build_object(
          'customer_id', c."customerId"::text,
          'email', c."email",
          'phone', c."phone",
          'first_name', c."firstName",
          'last_name', c."lastName",
          'points_balance', c."pointsBalance",
          'store_credit_balance_minor', NULL,
          'store_credit_currency', NULL,
          'vip_tier', current_tier."name",
          'lifetime_points_earned', c."lifetimeEarned",
          'lifetime_points_spent', c."lifetimeSpent"
        ),
        ${now}::timestamp
      FROM changed c
      LEFT JOIN tiers current_tier ON current_tier."id" = c."tierId"
      LEFT JOIN tiers previous_tier ON previous_tier."id" = c.previous_id
      LEFT JOIN old_names old_tier ON old_tier."id" = c.previous_id
      RETURNING "id", "shopId"
    )
    INSERT INTO "EventDelivery" ("eventId", "shopId", "destination", "updatedAt")
    SELECT events."id", events."shopId", destination, ${now}::timestamp
    FROM events CROSS JOIN unnest(${[...DESTINATIONS]}::text[]) AS destination`;
  return tx.$executeRaw(query);
}
