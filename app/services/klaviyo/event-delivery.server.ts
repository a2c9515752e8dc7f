import type { LoyaltyEvent } from "@prisma/client";
import prisma from "~/db.server";
import { parseStoredLoyaltyEvent } from "~/domain/events";
import { klaviyoEvent, packEventBatches, type KlaviyoEvent } from "~/domain/klaviyo";
import { KlaviyoApiError, type KlaviyoClient } from "~/integrations/klaviyo";
import { recordFailure, recordSuccess, type Pause } from "./pause.server";

/** Deliveries read per round; each round is sent as bulk requests of ≤ 1,000 events. */
export const ROUND_SIZE = 10_000;
/**
 * The first round is one bulk request's worth: the first request leaves as soon as it is read,
 * instead of after a whole round is read and mapped (a rate window lost at every drain's start).
 */
const FIRST_ROUND_SIZE = 1000;
/** Rounds grow from the first one's size to ROUND_SIZE, so the first rate windows are used too. */
const nextLimit = (limit: number) => Math.min(ROUND_SIZE, limit * 4);
/** Below this many events a round uses Create Event (350/s) instead of Bulk Create (10/s). */
const SINGLE_SEND_BELOW = 10;
/** Bulk requests in flight at once: enough to use the 10/s burst despite each request's latency. */
const BULK_CONCURRENCY = 5;

export type EventDeliveryReport = {
  delivered: number;
  failed: number;
  /** Set when Klaviyo asked us to wait or is failing: nothing more is sent before then. */
  pause: Pause | null;
};

type Pending = Pick<
  LoyaltyEvent,
  "id" | "type" | "shopId" | "customerId" | "occurredAt" | "payload" | "snapshot"
>;
type Cursor = { occurredAt: Date; eventId: string };

/**
 * The next deliveries due, oldest event first, after the cursor: walking the events by
 * (shopId, occurredAt) from where the last round stopped keeps each round's cost flat however long
 * the backlog (an ORDER BY over every waiting row grew with it).
 */
function nextRound(shopId: string, state: string, now: Date, after: Cursor, limit: number) {
  return prisma.$queryRaw<Pending[]>`
    SELECT e."id", e."type", e."shopId", e."customerId", e."occurredAt", e."payload", e."snapshot"
    FROM "LoyaltyEvent" e
    JOIN "EventDelivery" d ON d."eventId" = e."id" AND d."destination" = 'klaviyo'
    WHERE e."shopId" = ${shopId}::uuid AND d."state" = ${state}
      AND (d."nextAttemptAt" IS NULL OR d."nextAttemptAt" <= ${now})
      AND (e."occurredAt", e."id") > (${after.occurredAt}::timestamp(3), ${after.eventId}::uuid)
    ORDER BY e."occurredAt", e."id"
    LIMIT ${limit}`;
}

const where = (eventIds: string[]) => ({ eventId: { in: eventIds }, destination: "klaviyo" });

/**
 * Sends the shop's pending Klaviyo events, oldest first, until none are left or Klaviyo pushes back.
 * Each event's id is its `unique_id`, so a batch sent twice (a crash between send and bookkeeping)
 * is recorded once by Klaviyo. A batch Klaviyo rejects as invalid is retried event by event, so
 * one bad event is marked failed with Klaviyo's reason and the others still go.
 */
export async function deliverPendingKlaviyoEvents(
  shopId: string,
  client: KlaviyoClient,
  now: () => Date = () => new Date(),
  queue: "pending" | "backfill" = "pending",
): Promise<EventDeliveryReport> {
  // History ("Sync now" with past events) waits in its own state and is sent as backfill, so
  // Klaviyo records it without firing flows.
  const backfill = queue === "backfill";
  const report: EventDeliveryReport = { delivered: 0, failed: 0, pause: null };
  const prepare = (after: Cursor, limit: number) =>
    prepareRound(shopId, queue, now(), after, limit, report);
  let round = prepare(FIRST_CURSOR, FIRST_ROUND_SIZE);
  for (;;) {
    const { pending, events, limit } = await round;
    if (pending.length === 0) return report;
    const last = pending.at(-1)!;
    // The next round is read and mapped while this one is sent: Klaviyo's rate windows keep
    // running, so time spent between rounds is throughput lost for good.
    round =
      pending.length < limit
        ? Promise.resolve(NO_ROUND)
        : prepare({ occurredAt: last.occurredAt, eventId: last.id }, nextLimit(limit));
    round.catch(() => {}); // awaited on the next turn; not an unhandled rejection meanwhile
    try {
      if (events.length < SINGLE_SEND_BELOW)
        await sendOneByOne(shopId, client, events, report, backfill);
      else await sendInBulk(shopId, client, events, report, backfill);
    } catch (error) {
      if (!(error instanceof KlaviyoApiError)) throw error;
      report.pause = await recordFailure(
        shopId,
        error,
        now(),
        pending.map((p) => p.id),
      );
      return report;
    }
    await recordSuccess(shopId);
  }
}

type Round = { pending: Pending[]; events: KlaviyoEvent[]; limit: number };
const NO_ROUND: Round = { pending: [], events: [], limit: 0 };
const FIRST_CURSOR: Cursor = {
  occurredAt: new Date(0),
  eventId: "00000000-0000-0000-0000-000000000000",
};

async function prepareRound(
  shopId: string,
  queue: "pending" | "backfill",
  now: Date,
  after: Cursor,
  limit: number,
  report: EventDeliveryReport,
): Promise<Round> {
  const pending = await nextRound(shopId, queue, now, after, limit);
  return { pending, events: await mapOrFail(pending, report), limit };
}

/** Events the catalog no longer accepts cannot be sent; they fail visibly instead of blocking. */
async function mapOrFail(pending: Pending[], report: EventDeliveryReport): Promise<KlaviyoEvent[]> {
  const events: KlaviyoEvent[] = [];
  for (const event of pending) {
    try {
      events.push(klaviyoEvent(parseStoredLoyaltyEvent(event)));
    } catch (error) {
      await markFailed(event.id, (error as Error).message);
      report.failed++;
    }
  }
  return events;
}

async function sendInBulk(
  shopId: string,
  client: KlaviyoClient,
  events: KlaviyoEvent[],
  report: EventDeliveryReport,
  backfill: boolean,
) {
  const batches = packEventBatches(events);
  let next = 0;
  let failure: unknown = null;
  const lane = async () => {
    while (failure === null && next < batches.length) {
      const batch = batches[next++]!;
      try {
        await client.bulkCreateEvents(batch, backfill);
        await markDelivered(batch.events.map((e) => e.uniqueId));
        report.delivered += batch.events.length;
      } catch (error) {
        if (error instanceof KlaviyoApiError && error.kind === "rejected") {
          await sendOneByOne(shopId, client, batch.events, report, backfill);
        } else {
          failure = error;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, batches.length) }, lane));
  if (failure !== null) throw failure;
}

async function sendOneByOne(
  _shopId: string,
  client: KlaviyoClient,
  events: KlaviyoEvent[],
  report: EventDeliveryReport,
  backfill: boolean,
) {
  for (const event of events) {
    try {
      await client.createEvent(event, backfill);
      await markDelivered([event.uniqueId]);
      report.delivered++;
    } catch (error) {
      if (!(error instanceof KlaviyoApiError) || error.kind !== "rejected") throw error;
      await markFailed(event.uniqueId, `Klaviyo rejected the event: ${error.detail}`);
      report.failed++;
    }
  }
}

async function markDelivered(eventIds: string[]) {
  // Raw with one array parameter: a thousand ids through the query compiler cost more CPU than
  // sending them (the drain runs at Klaviyo's limit only if this stays cheap).
  const now = new Date().toISOString();
  await prisma.$executeRaw`
    UPDATE "EventDelivery"
    SET state = 'delivered', "deliveredAt" = ${now}::timestamp(3), attempts = attempts + 1,
      "lastError" = NULL, "nextAttemptAt" = NULL, "updatedAt" = ${now}::timestamp(3)
    WHERE "eventId" = ANY(${eventIds}::uuid[]) AND destination = 'klaviyo'`;
}

async function markFailed(eventId: string, reason: string) {
  await prisma.eventDelivery.updateMany({
    where: where([eventId]),
    data: {
      state: "failed",
      attempts: { increment: 1 },
      lastError: reason.slice(0, 2000),
      nextAttemptAt: null,
    },
  });
}
