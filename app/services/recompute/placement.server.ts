import { Prisma } from "@prisma/client";
import { formatIsoDate, localDate } from "~/domain/calendar";
import type { ProgramConfig } from "~/domain/program";
import { SPEND_WINDOW_DAYS, tierPeriodMs } from "~/domain/tiers";
import { WINDOW_REACH_MS } from "../tiers/facts.server";
import { DESTINATIONS } from "../events/outbox.server";
import { memberSnapshotSql } from "./snapshot-sql";

const DAY_MS = 86_400_000;

/** A batch of members: customer ids in (from, to], `to` null for "to the end". */
export interface CustomerRange {
  from: bigint | null;
  to: bigint | null;
}

/** A member whose tier the new program changes (tierId null: their deleted tier is not replaced). */
export interface TierMove {
  memberId: string;
  previousTierId: string | null;
  tierId: string | null;
}

/** A member the batch moved into a tier, with that tier's entry bonus (0 when it has none). */
export interface TierEntry {
  memberId: string;
  tierId: string;
  entryBonusPoints: number;
}

export interface BatchMeasure {
  /** Active members measured in the batch. */
  members: number;
  /** The members whose tier the new program changes. */
  moves: TierMove[];
}

export interface BatchMoves {
  /** Members whose tier changed: one tier.updated event each. */
  tierChanges: number;
  /** The changes into a tier (all are upward: a recompute never downgrades into a tier). */
  entries: TierEntry[];
}

/**
 * The tier rules of evaluateTier (app/domain/tiers) for a settings change, for one batch:
 * - a member on a tier the program no longer has is placed afresh (spending_assign, or
 *   spending_downgrade to no tier);
 * - a member without a tier who now qualifies is placed (spending_assign);
 * - a member who now qualifies for a higher tier is upgraded at once (spending_upgrade), lock or
 *   not: a lock only stops downgrades;
 * - lower bars never downgrade before the period ends: the daily review does that.
 * The measure is the domain's (spendAt, ADR 0054): lifetime points, or the goods of the orders
 * paid in the 365 days up to now, each less what its refunds gave back by now and nothing once
 * cancelled, never below 0.
 *
 * This is the read: it measures the batch and returns the members whose tier changes, with spend
 * aggregated over the batch's customer id range (hash aggregates and joins, instead of an index
 * lookup per member: ADR 0039). moveMembers then writes those members, their tier.updated events
 * and deliveries, in the same transaction.
 */
export async function measureBatch(
  tx: Prisma.TransactionClient,
  shopId: string,
  next: ProgramConfig,
  range: CustomerRange,
  now: Date,
): Promise<BatchMeasure> {
  const tiers = next.tiers;
  const bySpend = tiers[0]?.threshold.kind === "spend_365d";
  const thresholds = tiers.map((t) =>
    t.threshold.kind === "spend_365d" ? t.threshold.minor : t.threshold.points,
  );
  const since = new Date(now.getTime() - SPEND_WINDOW_DAYS * DAY_MS);
  const lookback = new Date(now.getTime() - WINDOW_REACH_MS);
  const from = range.from ?? -1n;
  const to = range.to;
  const inWindow = (column: Prisma.Sql) =>
    Prisma.sql`(${column} > ${since}::timestamp AND ${column} <= ${now}::timestamp)`;
  // The planner picks a nested loop when its statistics say "one row" (fresh tables, a bulk
  // load before autovacuum analysed it), which goes quadratic with an aggregate on the inner
  // side; hash joins are linear whatever the estimates (ADR 0039). Only for this read: the
  // writes below look members up by id, which wants the index's nested loop. The batch's
  // aggregates (orders and customers of 50,000 members) fit in 64 MB instead of spilling; both
  // settings end with the transaction.
  await tx.$executeRaw`SELECT set_config('enable_nestloop', 'off', true),
    set_config('work_mem', '64MB', true)`;
  const tierIds = tiers.map((t) => t.id);
  // The batch's orders that can count: paid since the lookback start (refunds and cancellations
  // of an order count from its own instants, within the window).
  const batchOrders = Prisma.sql`${bySpend}::boolean AND o."shopId" = ${shopId}::uuid
    AND o."customerId" > ${from} AND (${to}::bigint IS NULL OR o."customerId" <= ${to}::bigint)
    AND o."paidAt" >= ${lookback}::timestamp AND o."spendMinor" IS NOT NULL`;
  const [measured] = await tx.$queryRaw<{ members: number; moves: TierMove[] | null }[]>`
    WITH refunds AS (
      SELECT r."orderId", SUM(COALESCE(r."goodsMinor", 0)) AS "given"
      FROM "RefundRecord" r
      WHERE ${bySpend}::boolean AND r."shopId" = ${shopId}::uuid
        AND r."createdAt" <= ${now}::timestamp
        AND r."orderId" IN (SELECT "orderId" FROM "OrderRecord" o WHERE ${batchOrders})
      GROUP BY r."orderId"
    ),
    spend AS (
      -- Each order paid in the window counts the goods it still has: less the goods its refunds
      -- gave back, nothing once cancelled, never below zero (ADR 0054). Each part fits an
      -- integer, so the sum is a bigint sum rather than a much slower numeric one.
      SELECT o."customerId", SUM((
          CASE WHEN NOT ${inWindow(Prisma.sql`o."paidAt"`)} THEN 0
               WHEN o."cancelledAt" <= ${now}::timestamp THEN 0
               ELSE GREATEST(0, o."spendMinor" - COALESCE(r."given", 0)) END
        )::int) AS "minor"
      FROM "OrderRecord" o LEFT JOIN refunds r ON r."orderId" = o."orderId"
      WHERE ${batchOrders}
      GROUP BY o."customerId"
    ),
    measured AS (
      -- Ranks are 1-based positions in the tier list (0: no tier). Thresholds strictly increase
      -- down the list (the program schema checks it), so width_bucket is the highest tier met.
      SELECT m."id", m."tierId",
        array_position(${tierIds}::text[], m."tierId") AS "currentRank",
        width_bucket(CASE WHEN ${bySpend}::boolean THEN COALESCE(s."minor", 0)
                          ELSE m."lifetimeEarned" END, ${thresholds}::bigint[]) AS "targetRank"
      FROM "Member" m
      LEFT JOIN spend s ON s."customerId" = m."customerId"
      WHERE m."shopId" = ${shopId}::uuid AND m."status" = 'active'
        AND m."customerId" > ${from} AND (${to}::bigint IS NULL OR m."customerId" <= ${to}::bigint)
    )
    SELECT count(*)::int AS "members",
      json_agg(json_build_object(
        'memberId', d."id", 'previousTierId', d."tierId",
        'tierId', (${tierIds}::text[])[d."targetRank"]
      )) FILTER (WHERE (d."tierId" IS NOT NULL AND d."currentRank" IS NULL)
                    OR d."targetRank" > COALESCE(d."currentRank", 0)) AS "moves"
    FROM measured d`;
  await tx.$executeRaw`SELECT set_config('enable_nestloop', 'on', true)`;
  return { members: measured?.members ?? 0, moves: measured?.moves ?? [] };
}

/**
 * Writes the moves: the tier columns (entered now, the new period ends `periodDays` later, a
 * lapsed lock cleared as evaluateTier clears it), one tier.updated event each with its delivery
 * rows. Guarded by the tier read, so a member a concurrent order moved keeps that placement.
 */
export async function moveMembers(
  tx: Prisma.TransactionClient,
  shopId: string,
  previous: ProgramConfig,
  next: ProgramConfig,
  moves: readonly TierMove[],
  now: Date,
  timeZone: string,
): Promise<BatchMoves> {
  if (moves.length === 0) return { tierChanges: 0, entries: [] };
  const tiers = next.tiers;
  const deleted = previous.tiers.filter((t) => !tiers.some((n) => n.id === t.id));
  const periodEndsAt = new Date(now.getTime() + tierPeriodMs(next.tierRules.periodDays));
  const entryDate = formatIsoDate(localDate(now, timeZone));
  const rows = await tx.$queryRaw<{ tierChanges: number; entries: TierEntry[] | null }[]>`
    WITH tiers AS (
      SELECT * FROM unnest(
        ${tiers.map((t) => t.id)}::text[],
        ${tiers.map((t) => t.name)}::text[],
        ${tiers.map((t) => t.entryBonusPoints)}::int[]
      ) AS t("id", "name", "bonus")
    ),
    deleted_tiers AS (
      SELECT * FROM unnest(
        ${deleted.map((t) => t.id)}::text[],
        ${deleted.map((t) => t.name)}::text[]
      ) AS d("id", "name")
    ),
    decided AS (
      SELECT * FROM unnest(
        ${moves.map((move) => move.memberId)}::uuid[],
        ${moves.map((move) => move.previousTierId)}::text[],
        ${moves.map((move) => move.tierId)}::text[]
      ) AS d("id", "previousId", "targetId")
    ),
    changed AS (
      UPDATE "Member" m SET
        "tierId" = d."targetId",
        "tierEnteredAt" = CASE WHEN d."targetId" IS NULL THEN NULL ELSE ${now}::timestamp END,
        "tierPeriodEndsAt" = CASE WHEN d."targetId" IS NULL THEN NULL ELSE ${periodEndsAt}::timestamp END,
        "tierLockedUntil" = CASE WHEN m."tierLockedUntil" > ${now}::timestamp
                                 THEN m."tierLockedUntil" END,
        "updatedAt" = ${now}::timestamp
      FROM decided d
      WHERE m."id" = d."id" AND m."shopId" = ${shopId}::uuid
        AND m."tierId" IS NOT DISTINCT FROM d."previousId"
      RETURNING m.*, d."previousId",
        CASE
          WHEN d."targetId" IS NULL THEN 'spending_downgrade'
          WHEN d."previousId" IS NULL OR d."previousId" NOT IN (SELECT "id" FROM tiers)
            THEN 'spending_assign'
          ELSE 'spending_upgrade'
        END AS "change"
    ),
    events AS (
      INSERT INTO "LoyaltyEvent"
        ("id", "shopId", "memberId", "customerId", "type", "payload", "snapshot", "occurredAt")
      SELECT gen_random_uuid(), c."shopId", c."id", c."customerId", 'tier.updated',
        jsonb_build_object(
          'change', c."change",
          'reason', 'program_change',
          'previous_tier', COALESCE(previous_tier."name", deleted_tier."name"),
          'current_tier', current_tier."name",
          'entry_date', ${entryDate}::text,
          -- The lock ends at the start of the day after the last locked day (exclusive).
          'locked_until', to_char(((c."tierLockedUntil" - interval '1 millisecond')
            AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}::text, 'YYYY-MM-DD'),
          'expires_at', CASE WHEN c."tierId" IS NULL THEN NULL
                             ELSE ${periodEndsAt.toISOString()}::text END
        ),
        ${memberSnapshotSql('current_tier."name"')},
        ${now}::timestamp
      FROM changed c
      LEFT JOIN tiers current_tier ON current_tier."id" = c."tierId"
      LEFT JOIN tiers previous_tier ON previous_tier."id" = c."previousId"
      LEFT JOIN deleted_tiers deleted_tier ON deleted_tier."id" = c."previousId"
      RETURNING "id", "shopId"
    ),
    deliveries AS (
      INSERT INTO "EventDelivery" ("eventId", "shopId", "destination", "updatedAt")
      SELECT events."id", events."shopId", destination, ${now}::timestamp
      FROM events CROSS JOIN unnest(${[...DESTINATIONS]}::text[]) AS destination
    )
    SELECT
      (SELECT count(*) FROM events)::int AS "tierChanges",
      (SELECT json_agg(json_build_object(
         'memberId', c."id", 'tierId', t."id", 'entryBonusPoints', t."bonus"))
       FROM changed c JOIN tiers t ON t."id" = c."tierId") AS "entries"`;
  const row = rows[0];
  return { tierChanges: row?.tierChanges ?? 0, entries: row?.entries ?? [] };
}
