import type { Member, Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { SegmentSchema } from "~/domain/campaigns/index";
import type { ProgramConfig } from "~/domain/program/index";
import {
  queueFlowDelivery,
  queueKlaviyoDelivery,
  queueOmnisendDelivery,
} from "~/jobs/queues/send.server";
import { DESTINATIONS } from "../events/outbox.server";
import { MEMBER_COLUMNS } from "../members/repository.server";
import { programInForce } from "../program/versions.server";
import { memberSnapshotSql } from "../recompute/snapshot-sql";
import { bonusesMoveTiers, reconcileTierAfterBonus } from "../tiers/evaluate.server";
import { segmentCondition } from "./segment-sql.server";

// A campaign of points (issue #21, ADR 0063): every member of the segment is credited the same
// points once, as a `bonus` entry with source `one_time_campaign`, page by page.

/**
 * Members per page: one transaction locks them, credits them in one statement and moves the
 * campaign's cursor past them. Small enough that an order of one of them waits a moment at most.
 */
export const CAMPAIGN_POINTS_PAGE_SIZE = 500;

/** The ledger key of a member's campaign points: the same key twice is one credit. */
export function campaignPointsKey(campaignId: string, memberId: string) {
  return `campaign:${campaignId}:${memberId}`;
}

export interface PointsCampaignOutcome {
  state: string;
  /** Members credited by this run (a retry of a finished campaign credits none). */
  credited: number;
  pages: number;
}

/**
 * Credits the campaign's members, a page at a time in customer id order, until a page comes back
 * short. Each page commits with the campaign's cursor, so a job that dies midway resumes after
 * the last committed page; were a page credited again anyway, the ledger's unique keys would
 * credit nobody twice.
 */
export async function creditCampaignPoints(
  shopId: string,
  campaignId: string,
  {
    pageSize = CAMPAIGN_POINTS_PAGE_SIZE,
    maxPages = Infinity,
  }: {
    pageSize?: number;
    /** Stop after this many pages, as a job that dies midway would (tests). */
    maxPages?: number;
  } = {},
): Promise<PointsCampaignOutcome> {
  const outcome: PointsCampaignOutcome = { state: "missing", credited: 0, pages: 0 };
  while (outcome.pages < maxPages) {
    const page = await prisma.$transaction(
      (tx) => creditNextPage(tx, shopId, campaignId, pageSize, new Date()),
      { maxWait: 30_000, timeout: 300_000 },
    );
    outcome.state = page.state;
    outcome.credited += page.credited;
    if (!page.ran) return outcome;
    outcome.pages += 1;
    if (page.state !== "granting") return outcome;
  }
  return outcome;
}

interface CampaignCursor {
  state: string;
  segment: unknown;
  points: number | null;
  createdAt: Date;
  creditedMembers: number;
  creditedThroughCustomerId: bigint | null;
}

async function creditNextPage(
  tx: Prisma.TransactionClient,
  shopId: string,
  campaignId: string,
  pageSize: number,
  now: Date,
): Promise<{ state: string; credited: number; ran: boolean }> {
  const [campaign] = await tx.$queryRaw<CampaignCursor[]>`
    SELECT state, segment, points, "createdAt", "creditedMembers", "creditedThroughCustomerId"
    FROM "RewardCampaign"
    WHERE id = ${campaignId}::uuid AND "shopId" = ${shopId}::uuid
    FOR UPDATE`;
  if (!campaign) return { state: "missing", credited: 0, ran: false };
  const { state, points } = campaign;
  if (points === null || (state !== "queued" && state !== "granting")) {
    return { state, credited: 0, ran: false };
  }
  const parsed = SegmentSchema.safeParse(campaign.segment);
  if (!parsed.success) {
    // A stored segment this version cannot read would fail every retry: say so, once.
    await tx.rewardCampaign.update({
      where: { id: campaignId },
      data: { state: "failed", lastError: `unreadable segment: ${parsed.error.message}` },
    });
    return { state: "failed", credited: 0, ran: false };
  }
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
  // Who had joined when the campaign was created, as for a reward (ADR 0045).
  const inSegment = segmentCondition(shopId, parsed.data, shop.timeZone, campaign.createdAt);
  // The first page counts the segment, so the list shows how far crediting has come.
  const matched =
    state === "queued"
      ? (
          await tx.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM "Member" m WHERE ${inSegment}`
        )[0]?.n
      : undefined;
  const page = await tx.$queryRaw<{ id: string; customerId: bigint }[]>`
    SELECT m.id::text AS id, m."customerId" FROM "Member" m
    WHERE ${inSegment} AND m."customerId" > ${campaign.creditedThroughCustomerId ?? -1n}::bigint
    ORDER BY m."customerId"
    LIMIT ${pageSize}
    FOR UPDATE`;
  const { config } = await programInForce(tx, shopId);
  const credited = await creditMembers(tx, shopId, campaignId, points, page, config, now);
  const done = page.length < pageSize;
  const creditedMembers = campaign.creditedMembers + credited;
  await tx.rewardCampaign.update({
    where: { id: campaignId },
    data: {
      state: done ? "granted" : "granting",
      creditedMembers,
      creditedThroughCustomerId: page.at(-1)?.customerId ?? campaign.creditedThroughCustomerId,
      // Done: the members who got the points, whoever left the segment since the count.
      ...(done ? { matchedMembers: creditedMembers, grantedAt: now } : {}),
      ...(!done && matched !== undefined ? { matchedMembers: matched } : {}),
    },
  });
  return { state: done ? "granted" : "granting", credited, ran: true };
}

/**
 * One statement for the page, as postEntry and recordEvent do it for one member: the ledger
 * entry under the member's campaign key (a `bonus`: it counts in lifetime earned points and as
 * activity, and expires as earned points do), the balance moved only where the entry went in,
 * and a points.added event with its delivery rows. Then, if the program has tiers in lifetime
 * points, each credited member's tier is brought up to date as after a welcome bonus. The
 * members are locked by the caller. Returns how many were credited.
 */
async function creditMembers(
  tx: Prisma.TransactionClient,
  shopId: string,
  campaignId: string,
  points: number,
  page: readonly { id: string }[],
  config: ProgramConfig,
  now: Date,
): Promise<number> {
  if (page.length === 0) return 0;
  const ids = page.map((member) => member.id);
  const keys = ids.map((id) => campaignPointsKey(campaignId, id));
  const tiers = config.tiers;
  // Timestamps as the UTC wall times Prisma stores (recordEvent writes them the same way).
  const at = now.toISOString();
  const credited = await tx.$queryRaw<{ id: string }[]>`
    WITH wanted AS (
      SELECT * FROM unnest(${ids}::uuid[], ${keys}::text[]) AS w("memberId", "idempotencyKey")
    ),
    posted AS (
      INSERT INTO "LedgerEntry" ("id", "shopId", "memberId", "points", "kind", "source",
        "idempotencyKey", "orderId", "balanceAfter", "detail", "createdAt")
      SELECT gen_random_uuid(), m."shopId", m."id", ${points}::integer, 'bonus',
        'one_time_campaign', w."idempotencyKey", NULL, m."pointsBalance" + ${points}::integer,
        jsonb_build_object('campaignId', ${campaignId}::text), ${at}::timestamp(3)
      FROM wanted w
      JOIN "Member" m ON m."id" = w."memberId" AND m."shopId" = ${shopId}::uuid
      ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
      RETURNING "memberId", "balanceAfter"
    ),
    credited AS (
      UPDATE "Member" m SET
        "pointsBalance" = p."balanceAfter",
        "lifetimeEarned" = m."lifetimeEarned" + ${points}::integer,
        "lastActivityAt" = GREATEST(${at}::timestamp(3), m."lastActivityAt"),
        "updatedAt" = ${at}::timestamp(3)
      FROM posted p
      WHERE m."id" = p."memberId"
      RETURNING m.*
    ),
    events AS (
      INSERT INTO "LoyaltyEvent"
        ("id", "shopId", "memberId", "customerId", "type", "payload", "snapshot", "occurredAt")
      SELECT gen_random_uuid(), c."shopId", c."id", c."customerId", 'points.added',
        jsonb_build_object(
          'points', ${points}::integer,
          'source', 'one_time_campaign',
          'order_id', NULL,
          'order_name', NULL,
          'note', NULL
        ),
        ${memberSnapshotSql('tier."name"')},
        ${at}::timestamp(3)
      FROM credited c
      LEFT JOIN unnest(${tiers.map((t) => t.id)}::text[], ${tiers.map((t) => t.name)}::text[])
        AS tier("id", "name") ON tier."id" = c."tierId"
      RETURNING "id", "shopId"
    ),
    deliveries AS (
      INSERT INTO "EventDelivery" ("eventId", "shopId", "destination", "updatedAt")
      SELECT events."id", events."shopId", destination, ${at}::timestamp(3)
      FROM events CROSS JOIN unnest(${[...DESTINATIONS]}::text[]) AS destination
    )
    SELECT c."id"::text AS id FROM credited c`;
  if (credited.length === 0) return 0;
  if (bonusesMoveTiers(config)) {
    for (const member of await lockedMembers(tx, credited)) {
      await reconcileTierAfterBonus(tx, member, config, now);
    }
  }
  await queueFlowDelivery(tx, shopId);
  await queueKlaviyoDelivery(tx, shopId);
  await queueOmnisendDelivery(tx, shopId);
  return credited.length;
}

/** The credited members as the tier service reads them (already locked by this transaction). */
function lockedMembers(tx: Prisma.TransactionClient, members: readonly { id: string }[]) {
  return tx.$queryRaw<Member[]>`
    SELECT ${MEMBER_COLUMNS} FROM "Member"
    WHERE id = ANY(${members.map((m) => m.id)}::uuid[])
    ORDER BY "customerId"`;
}
