import { Prisma, type LoyaltyEvent } from "@prisma/client";
import prisma, { database } from "~/db.server";
import { isCommerceType, klaviyoCommerceEvent } from "~/domain/commerce";
import { parseStoredLoyaltyEvent, type AnyLoyaltyEvent } from "~/domain/events";
import {
  invitationOf,
  klaviyoEvent,
  MAX_EVENTS_PER_BULK,
  packEventBatches,
  type KlaviyoEvent,
} from "~/domain/klaviyo";
import { KlaviyoApiError, type KlaviyoClient } from "~/integrations/klaviyo";
import { eraseDeliveredInvitationAddresses } from "../referrals/invites.server";
import { recordFailure, recordSuccess, type Pause } from "./pause.server";

/**
 * Deliveries read per round; each round is sent as bulk requests of ≤ 1,000 events. At 10,000
 * PostgreSQL planned a parallel scan for the round (41 ms against 26 ms on one process, with two
 * more processes competing for the CPU the drain needs); 5,000 is one ordered index range.
 */
export const ROUND_SIZE = 5000;
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
export type Cursor = { occurredAt: Date; eventId: string };

/**
 * The next deliveries due, oldest event first, after the cursor: walking the events by
 * (shopId, occurredAt, id) from where the last round stopped keeps each round's cost flat however
 * long the backlog. It is one range of the (shopId, occurredAt, id) index; exported so a test can
 * EXPLAIN it (without id in the index, events sharing a time were read and sorted whole).
 */
export function pendingRoundQuery(
  shopId: string,
  state: string,
  now: Date,
  after: Cursor,
  limit: number,
) {
  return Prisma.sql`
    SELECT e."id", e."type", e."shopId", e."customerId"::text AS "customerId",
      to_char(e."occurredAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt",
      e."payload", e."snapshot"
    FROM "LoyaltyEvent" e
    JOIN "EventDelivery" d ON d."eventId" = e."id" AND d."destination" = 'klaviyo'
    WHERE e."shopId" = ${shopId}::uuid AND d."state" = ${state}
      AND (d."nextAttemptAt" IS NULL OR d."nextAttemptAt" <= ${now.toISOString()}::timestamp(3))
      AND (e."occurredAt", e."id") > (${after.occurredAt.toISOString()}::timestamp(3), ${after.eventId}::uuid)
    ORDER BY e."occurredAt", e."id"
    LIMIT ${limit}`;
}

/** A round's row as the driver returns it: customer id and time as text, so both drivers agree. */
type PendingRow = Omit<Pending, "customerId" | "occurredAt"> & {
  customerId: string | null;
  occurredAt: string;
};

/**
 * Read with the driver, not Prisma: a round is thousands of rows with two JSON columns each, and
 * Prisma's result mapping took twice the driver's CPU on the one thread that also maps and sends
 * (issue #24: the first second of a drain is bound by that thread).
 */
async function nextRound(shopId: string, state: string, now: Date, after: Cursor, limit: number) {
  const query = pendingRoundQuery(shopId, state, now, after, limit);
  const rows = await database.query<PendingRow>(query.text, query.values);
  return rows.map((row): Pending => ({
    ...row,
    customerId: row.customerId === null ? null : BigInt(row.customerId),
    occurredAt: new Date(row.occurredAt),
  }));
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
  // Read but not yet recorded as delivered: what a failure marks as retrying.
  const unsent = new Set<string>();
  const sends = sendsInOrder(shopId, queue, now, report, unsent);
  const bookkeeping: Promise<void>[] = [];
  let failure: unknown = null;
  const delivered = (eventIds: string[]) => {
    // Recorded while the lane sends its next batch: a wait here would leave a rate window unused.
    const marked = markDelivered(eventIds).then(() => {
      for (const id of eventIds) unsent.delete(id);
      report.delivered += eventIds.length;
    });
    marked.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
    bookkeeping.push(marked);
  };
  // Lanes take the next send from one stream across rounds, so no lane waits for a round's last
  // request to finish before the next round starts (each such wait cost part of a rate window).
  const lane = async () => {
    while (failure === null) {
      try {
        const next = await sends.next();
        if (next.done || failure !== null) return;
        const send = next.value;
        if (send.kind === "single") {
          await sendOneByOne(client, send.events, report, backfill, unsent);
          continue;
        }
        try {
          await client.bulkCreateEvents(send.batch, backfill);
          delivered(send.batch.events.map((e) => e.uniqueId));
        } catch (error) {
          if (!(error instanceof KlaviyoApiError) || error.kind !== "rejected") throw error;
          await sendOneByOne(client, send.batch.events, report, backfill, unsent);
        }
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: BULK_CONCURRENCY }, lane));
  await Promise.all(bookkeeping);
  if (failure !== null) {
    if (!(failure instanceof KlaviyoApiError)) throw failure;
    report.pause = await recordFailure(shopId, failure, now(), [...unsent]);
    return report;
  }
  if (report.delivered > 0) await recordSuccess(shopId);
  return report;
}

type Send =
  | { kind: "bulk"; batch: ReturnType<typeof packEventBatches>[number] }
  | { kind: "single"; events: KlaviyoEvent[] };

/**
 * The drain's sends, round after round: the next round is read while this one is sent, since
 * Klaviyo's rate windows keep running and time spent between rounds is lost for good. A round is
 * mapped one bulk request's worth at a time, so its first request leaves once its own thousand
 * events are mapped, not after the whole round is (the first rate window is filled that much
 * sooner).
 */
async function* sendsInOrder(
  shopId: string,
  queue: "pending" | "backfill",
  now: () => Date,
  report: EventDeliveryReport,
  unsent: Set<string>,
): AsyncGenerator<Send> {
  let limit = FIRST_ROUND_SIZE;
  let round = nextRound(shopId, queue, now(), FIRST_CURSOR, limit);
  for (;;) {
    const pending = await round;
    if (pending.length === 0) return;
    const full = pending.length >= limit;
    if (full) {
      const last = pending.at(-1)!;
      limit = nextLimit(limit);
      round = nextRound(
        shopId,
        queue,
        now(),
        { occurredAt: last.occurredAt, eventId: last.id },
        limit,
      );
      round.catch(() => {}); // awaited on the next turn; not an unhandled rejection meanwhile
    }
    if (pending.length < SINGLE_SEND_BELOW) {
      const events = await mapOrFail(pending, report);
      for (const event of events) unsent.add(event.uniqueId);
      if (events.length > 0) yield { kind: "single", events };
    } else {
      for (let start = 0; start < pending.length; start += MAX_EVENTS_PER_BULK) {
        const slice = pending.slice(start, start + MAX_EVENTS_PER_BULK);
        const events = await mapOrFail(slice, report);
        for (const event of events) unsent.add(event.uniqueId);
        for (const batch of packEventBatches(events)) yield { kind: "bulk", batch };
      }
    }
    if (!full) return;
  }
}

export const FIRST_CURSOR: Cursor = {
  occurredAt: new Date(0),
  eventId: "00000000-0000-0000-0000-000000000000",
};

/**
 * Events the catalog no longer accepts cannot be sent; they fail visibly instead of blocking. An
 * invitation (referral.sent to a friend) is sent to the address kept on the invitation, read here
 * in one query for the slice; one whose address was erased fails with that reason.
 */
async function mapOrFail(pending: Pending[], report: EventDeliveryReport): Promise<KlaviyoEvent[]> {
  const parsed: {
    id: string;
    event?: AnyLoyaltyEvent;
    commerce?: KlaviyoEvent;
    error?: unknown;
  }[] = pending.map((row) => {
    try {
      // Commerce events (ADR 0071) share the outbox but not the catalog: their own mapping.
      if (isCommerceType(row.type)) return { id: row.id, commerce: klaviyoCommerceEvent(row) };
      return { id: row.id, event: parseStoredLoyaltyEvent(row) };
    } catch (error) {
      return { id: row.id, error };
    }
  });
  const invitationIds = parsed.flatMap(({ event }) => {
    const id = event && invitationOf(event);
    return id ? [id] : [];
  });
  const addresses = await invitationAddresses(invitationIds);
  const events: KlaviyoEvent[] = [];
  for (const { id, event, commerce, error } of parsed) {
    try {
      if (commerce) {
        events.push(commerce);
        continue;
      }
      if (!event) throw error;
      const invitation = invitationOf(event);
      const address = invitation ? addresses.get(invitation) : null;
      events.push(klaviyoEvent(event, address ? { email: address } : null));
    } catch (failure) {
      await markFailed(id, (failure as Error).message);
      report.failed++;
    }
  }
  return events;
}

async function invitationAddresses(ids: string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ id: string; friendEmail: string | null }[]>`
    SELECT id::text AS id, "friendEmail" FROM "ReferralInvite" WHERE id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.friendEmail]));
}

async function sendOneByOne(
  client: KlaviyoClient,
  events: KlaviyoEvent[],
  report: EventDeliveryReport,
  backfill: boolean,
  unsent: Set<string>,
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
    unsent.delete(event.uniqueId);
  }
}

async function markDelivered(eventIds: string[]) {
  // Through the driver with one array parameter: a thousand ids through Prisma cost more CPU than
  // sending them (the drain runs at Klaviyo's limit only if this stays cheap).
  await database.query(
    `UPDATE "EventDelivery"
     SET state = 'delivered', "deliveredAt" = $2::timestamp(3), attempts = attempts + 1,
       "lastError" = NULL, "nextAttemptAt" = NULL, "updatedAt" = $2::timestamp(3)
     WHERE "eventId" = ANY($1::uuid[]) AND destination = 'klaviyo'`,
    [eventIds, new Date().toISOString()],
  );
  // An invitation's address is kept only until it reached the email platforms (ADR 0056).
  await eraseDeliveredInvitationAddresses(eventIds);
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
