import type { Member } from "@prisma/client";
import prisma from "~/db.server";
import { isCommerceType, omnisendCommerceEvent } from "~/domain/commerce";
import { parseStoredLoyaltyEvent } from "~/domain/events";
import { invitationOf } from "~/domain/klaviyo";
import { omnisendEvent, omnisendIdentity, type OmnisendEvent } from "~/domain/omnisend";
import { OmnisendApiError, type OmnisendClient } from "~/integrations/omnisend";
import { FIRST_CURSOR, type Cursor } from "../klaviyo/event-delivery.server";
import { eraseDeliveredInvitationAddresses } from "../referrals/invites.server";
import { recordContactSyncs, type ContactState } from "./contacts.server";

/** Events read per round: about a minute of Omnisend's default limit (400/min). */
export const ROUND_SIZE = 400;
/** Requests in flight at once: enough to reach the limit despite each request's latency. */
export const LANES = 4;

export type Outcome = { delivered: number; failed: number; skipped: number };

type Row = {
  id: string;
  type: string;
  shopId: string;
  memberId: string | null;
  /** Null for a guest order's commerce event. */
  customerId: bigint | null;
  occurredAt: Date;
  payload: unknown;
  snapshot: unknown;
};

/**
 * The shop's next pending Omnisend events, oldest first, after the cursor. Walking the events by
 * (shopId, occurredAt, id) from where the last round stopped reads one range of that index, so a
 * round costs the same however long the backlog (ordering all pending deliveries each round grew
 * with it).
 */
export function pendingEvents(shopId: string, now: Date, after: Cursor, limit = ROUND_SIZE) {
  return prisma.$queryRaw<Row[]>`
    SELECT e."id", e."type", e."shopId", e."memberId", e."customerId", e."occurredAt", e."payload",
      e."snapshot"
    FROM "LoyaltyEvent" e
    JOIN "EventDelivery" d ON d."eventId" = e."id" AND d."destination" = 'omnisend'
    WHERE e."shopId" = ${shopId}::uuid AND d."state" = 'pending'
      AND (d."nextAttemptAt" IS NULL OR d."nextAttemptAt" <= ${now})
      AND (e."occurredAt", e."id") > (${after.occurredAt}::timestamp(3), ${after.eventId}::uuid)
    ORDER BY e."occurredAt", e."id"
    LIMIT ${limit}`;
}

type Stopped = { failure: OmnisendApiError; unsent: string[] };

/**
 * Sends the shop's pending events round by round, oldest first, until none are left (null),
 * Omnisend pushes back (what stopped it) or the deadline passes ("more"). The next round is read
 * while this one is sent, so the rate window is not left idle while the database answers.
 */
export async function sendPendingEvents(
  shopId: string,
  client: OmnisendClient,
  build: (members: Member[]) => Promise<Map<string, ContactState>>,
  outcome: Outcome,
  now: () => Date,
  deadline: number,
): Promise<Stopped | "more" | null> {
  let rows = await pendingEvents(shopId, now(), FIRST_CURSOR);
  while (rows.length > 0) {
    const last = rows.at(-1)!;
    const cursor = { occurredAt: last.occurredAt, eventId: last.id };
    const ahead = rows.length < ROUND_SIZE ? null : pendingEvents(shopId, now(), cursor);
    ahead?.catch(() => {}); // awaited below, or dropped when this round stops the drain
    const stopped = await sendRound(shopId, rows, client, build, outcome);
    if (stopped) return stopped;
    if (now().getTime() > deadline) return "more";
    if (!ahead) return null;
    rows = await ahead;
  }
  return null;
}

type Prepared = { eventId: string; body: OmnisendEvent; contact: ContactState | null };

/**
 * Sends one round of events: each with its member's current custom properties, so one request
 * records the event and refreshes the contact. Omnisend deduplicates real-time events on nothing
 * (omnisend.md §3), so an event is marked delivered as soon as its 202 is back, and the event id
 * is sent as `eventID` for what Omnisend does deduplicate. Returns the push-back that stopped the
 * round, with the events it left unsent.
 */
export async function sendRound(
  shopId: string,
  rows: Row[],
  client: OmnisendClient,
  build: (members: Member[]) => Promise<Map<string, ContactState>>,
  outcome: Outcome,
): Promise<Stopped | null> {
  const prepared = await prepare(rows, build, outcome);
  const delivered: Prepared[] = [];
  const unsent = new Set(prepared.map((p) => p.eventId));
  let failure: unknown = null;
  let next = 0;
  const lane = async () => {
    while (failure === null && next < prepared.length) {
      const item = prepared[next++]!;
      try {
        await client.sendEvent(item.body);
        delivered.push(item);
        unsent.delete(item.eventId);
      } catch (error) {
        if (error instanceof OmnisendApiError && error.kind === "rejected") {
          await markFailed([item.eventId], `Omnisend rejected the event: ${error.detail}`);
          outcome.failed++;
          unsent.delete(item.eventId);
        } else failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  await markDelivered(delivered.map((d) => d.eventId));
  outcome.delivered += delivered.length;
  const synced = new Map<string, Date>();
  for (const { contact } of delivered) {
    if (contact) synced.set(contact.member.id, contact.version);
  }
  await recordContactSyncs(
    shopId,
    [...synced].map(([memberId, version]) => ({ memberId, version, state: "synced" })),
  );
  if (failure === null) return null;
  if (!(failure instanceof OmnisendApiError)) throw failure;
  return { failure, unsent: [...unsent] };
}

/**
 * Maps a round's rows to request bodies. An event whose contact has neither email nor phone is
 * skipped with the reason (Omnisend has no other identifier); one the catalog no longer accepts,
 * or an invitation whose address was erased, fails visibly instead of blocking the rest.
 */
async function prepare(
  rows: Row[],
  build: (members: Member[]) => Promise<Map<string, ContactState>>,
  outcome: Outcome,
): Promise<Prepared[]> {
  const memberIds = [...new Set(rows.flatMap((r) => (r.memberId ? [r.memberId] : [])))];
  const members = await prisma.member.findMany({
    where: { id: { in: memberIds }, status: "active" },
  });
  const contacts = await build(members);
  const invitations = await invitationAddresses(rows);
  const prepared: Prepared[] = [];
  for (const row of rows) {
    try {
      if (isCommerceType(row.type)) {
        // Commerce events (ADR 0071): their own mapping; the contact is the order's customer.
        const body = omnisendCommerceEvent(row);
        if (!body) {
          await markSkipped(
            row.id,
            "The customer has no email or phone: Omnisend cannot record it",
          );
          outcome.skipped++;
        } else prepared.push({ eventId: row.id, body, contact: null });
        continue;
      }
      const event = parseStoredLoyaltyEvent(row);
      const invitation = invitationOf(event);
      if (invitation) {
        const email = invitations.get(invitation);
        if (!email) throw new Error("The invitation's address was erased (not sent within 7 days)");
        const body = omnisendEvent(event, { identity: { email }, customProperties: null });
        prepared.push({ eventId: row.id, body, contact: null });
        continue;
      }
      const contact = row.memberId ? (contacts.get(row.memberId) ?? null) : null;
      const identity = omnisendIdentity(event.snapshot);
      if (!identity) {
        await markSkipped(row.id, "The customer has no email or phone: Omnisend cannot record it");
        outcome.skipped++;
        continue;
      }
      const body = omnisendEvent(event, {
        identity,
        customProperties: contact?.customProperties ?? null,
      });
      prepared.push({ eventId: row.id, body, contact });
    } catch (error) {
      await markFailed([row.id], (error as Error).message);
      outcome.failed++;
    }
  }
  return prepared;
}

async function invitationAddresses(rows: Row[]): Promise<Map<string, string>> {
  const ids = rows.flatMap((row) => {
    if (row.type !== "referral.sent") return [];
    const id = (row.payload as { invitation_id?: string | null }).invitation_id;
    return id ? [id] : [];
  });
  if (ids.length === 0) return new Map();
  const invites = await prisma.referralInvite.findMany({
    where: { id: { in: ids } },
    select: { id: true, friendEmail: true },
  });
  return new Map(invites.flatMap((i) => (i.friendEmail ? [[i.id, i.friendEmail]] : [])));
}

async function markDelivered(eventIds: string[]) {
  if (eventIds.length === 0) return;
  const now = new Date().toISOString();
  await prisma.$executeRaw`
    UPDATE "EventDelivery"
    SET state = 'delivered', "deliveredAt" = ${now}::timestamp(3), attempts = attempts + 1,
      "lastError" = NULL, "nextAttemptAt" = NULL, "updatedAt" = ${now}::timestamp(3)
    WHERE "eventId" = ANY(${eventIds}::uuid[]) AND destination = 'omnisend'`;
  await eraseDeliveredInvitationAddresses(eventIds);
}

async function markFailed(eventIds: string[], reason: string) {
  await prisma.eventDelivery.updateMany({
    where: { eventId: { in: eventIds }, destination: "omnisend" },
    data: {
      state: "failed",
      attempts: { increment: 1 },
      lastError: reason.slice(0, 2000),
      nextAttemptAt: null,
    },
  });
}

async function markSkipped(eventId: string, reason: string) {
  await prisma.eventDelivery.updateMany({
    where: { eventId, destination: "omnisend" },
    data: { state: "skipped", lastError: reason, nextAttemptAt: null },
  });
}
