import { randomUUID } from "node:crypto";
import type { Member, Prisma } from "@prisma/client";
import {
  createLoyaltyEvent,
  eventDefinition,
  type LoyaltyEventType,
  type PayloadOf,
} from "~/domain/events/index";
import type { ProgramConfig } from "~/domain/program/index";
import {
  queueFlowDelivery,
  queueKlaviyoDelivery,
  queueOmnisendDelivery,
} from "~/jobs/queues/send.server";
import { memberSnapshot } from "../members/repository.server";
import { HISTORY_NOT_SENT_TO_FLOW, historyMode } from "./history.server";

/** Where events go. Each gets its own delivery row, so one destination's outage never blocks another. */
export const DESTINATIONS = ["flow", "klaviyo", "omnisend"] as const;

/** Events that change what a member's email-platform profile shows without touching the member row. */
const REWARD_PROFILE_EVENTS: ReadonlySet<LoyaltyEventType> = new Set([
  "reward.issued",
  "reward.used",
  "reward.expired",
]);

/** Imported history is not sent to Omnisend: its automations would fire for things long past. */
export const HISTORY_NOT_SENT_TO_OMNISEND =
  "Imported history: not sent to Omnisend (its automations would fire); contacts get the properties";

/** A catalog event about the member, with the member's snapshot as it is now. */
function newEvent<T extends LoyaltyEventType>(
  member: Member,
  config: ProgramConfig,
  type: T,
  payload: PayloadOf<T>,
  occurredAt: Date,
) {
  return createLoyaltyEvent(type, {
    id: randomUUID(),
    shopId: member.shopId,
    customerId: member.customerId.toString(),
    occurredAt: occurredAt.toISOString(),
    payload,
    snapshot: memberSnapshot(member, config),
  });
}

/** The delivery rows of an event of `type` recorded now (live, or as history). */
function deliveriesOf(type: LoyaltyEventType) {
  const destinations = DESTINATIONS.filter(
    (destination) => destination !== "flow" || eventDefinition(type).flowTrigger !== null,
  );
  // Imported history goes to Klaviyo as backfill, to Flow only if the merchant asked, and not to
  // Omnisend (it has no backfill mode that keeps automations from firing).
  const history = historyMode();
  const flowSkipped = history !== undefined && !history.fireFlows;
  const states = destinations.map((destination) =>
    !history
      ? "pending"
      : destination === "klaviyo"
        ? "backfill"
        : destination === "omnisend" || flowSkipped
          ? "skipped"
          : "pending",
  );
  const errors = destinations.map((destination, i) =>
    states[i] !== "skipped"
      ? null
      : destination === "omnisend"
        ? HISTORY_NOT_SENT_TO_OMNISEND
        : HISTORY_NOT_SENT_TO_FLOW,
  );
  return { destinations, states, errors, history, flowSkipped };
}

/**
 * Writes a catalog event with the member's current snapshot into the outbox, in the caller's
 * transaction: the event exists if and only if the change it describes was committed.
 */
export async function recordEvent<T extends LoyaltyEventType>(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  type: T,
  payload: PayloadOf<T>,
  occurredAt = new Date(),
) {
  const event = newEvent(member, config, type, payload, occurredAt);
  const { destinations, states, errors, history, flowSkipped } = deliveriesOf(type);
  // One raw statement for the event and its delivery rows (no query compilation, ADR 0034).
  const now = new Date().toISOString();
  await tx.$executeRaw`
    WITH event AS (
      INSERT INTO "LoyaltyEvent" (id, "shopId", "memberId", "customerId", type, payload, snapshot,
        "occurredAt", "createdAt")
      VALUES (${event.id}::uuid, ${member.shopId}::uuid, ${member.id}::uuid,
        ${member.customerId}::bigint, ${type}, ${JSON.stringify(event.payload)}::jsonb,
        ${JSON.stringify(event.snapshot)}::jsonb, ${occurredAt.toISOString()}::timestamp(3),
        ${now}::timestamp(3))
      RETURNING id, "shopId"
    )
    INSERT INTO "EventDelivery" ("eventId", "shopId", destination, state, "lastError", "updatedAt")
    SELECT event.id, event."shopId", d.destination, d.state, d."lastError", ${now}::timestamp(3)
    FROM event, unnest(${[...destinations]}::text[], ${states}::text[], ${errors}::text[])
      AS d(destination, state, "lastError")`;
  // What the profile shows of rewards (codes ready to use, last redeemed) lives outside the member
  // row, so these events ask for the member's Klaviyo profile and Omnisend contact to be re-sent.
  if (REWARD_PROFILE_EVENTS.has(type)) {
    await tx.$executeRaw`
      UPDATE "Member" SET "profileSyncRequestedAt" = ${now}::timestamp(3)
      WHERE id = ${member.id}::uuid`;
  }
  if (destinations.includes("flow") && !flowSkipped) await queueFlowDelivery(tx, member.shopId);
  await queueKlaviyoDelivery(tx, member.shopId);
  if (!history) await queueOmnisendDelivery(tx, member.shopId);
  return event;
}

/** One event for recordEvents: the member as it was when the event happened. */
export interface EventToRecord<T extends LoyaltyEventType = LoyaltyEventType> {
  member: Member;
  type: T;
  payload: PayloadOf<T>;
  occurredAt?: Date;
}

/**
 * recordEvent for many events at once (the history import's pages, ADR 0074): the same rows
 * (event, snapshot, delivery states, wake-ups), written with one statement for all the events
 * and one for all their deliveries instead of one per event.
 */
export async function recordEvents(
  tx: Prisma.TransactionClient,
  config: ProgramConfig,
  events: readonly EventToRecord[],
): Promise<void> {
  if (events.length === 0) return;
  const now = new Date().toISOString();
  const rows = events.map(({ member, type, payload, occurredAt = new Date() }) => ({
    member,
    type,
    at: occurredAt.toISOString(),
    event: newEvent(member, config, type, payload, occurredAt),
    deliveries: deliveriesOf(type),
  }));
  await tx.$executeRaw`
    INSERT INTO "LoyaltyEvent" (id, "shopId", "memberId", "customerId", type, payload, snapshot,
      "occurredAt", "createdAt")
    SELECT e.id, e."shopId", e."memberId", e."customerId", e.type, e.payload::jsonb,
      e.snapshot::jsonb, e.at::timestamp(3), ${now}::timestamp(3)
    FROM unnest(${rows.map((r) => r.event.id)}::uuid[], ${rows.map((r) => r.member.shopId)}::uuid[],
      ${rows.map((r) => r.member.id)}::uuid[], ${rows.map((r) => r.member.customerId.toString())}::bigint[],
      ${rows.map((r) => r.type)}::text[], ${rows.map((r) => JSON.stringify(r.event.payload))}::text[],
      ${rows.map((r) => JSON.stringify(r.event.snapshot))}::text[], ${rows.map((r) => r.at)}::text[])
      AS e(id, "shopId", "memberId", "customerId", type, payload, snapshot, at)`;
  const deliveries = rows.flatMap((r) =>
    r.deliveries.destinations.map((destination, i) => ({
      eventId: r.event.id,
      shopId: r.member.shopId,
      destination,
      state: r.deliveries.states[i]!,
      error: r.deliveries.errors[i] ?? null,
    })),
  );
  await tx.$executeRaw`
    INSERT INTO "EventDelivery" ("eventId", "shopId", destination, state, "lastError", "updatedAt")
    SELECT d."eventId", d."shopId", d.destination, d.state, d."lastError", ${now}::timestamp(3)
    FROM unnest(${deliveries.map((d) => d.eventId)}::uuid[], ${deliveries.map((d) => d.shopId)}::uuid[],
      ${deliveries.map((d) => d.destination)}::text[], ${deliveries.map((d) => d.state)}::text[],
      ${deliveries.map((d) => d.error)}::text[]) AS d("eventId", "shopId", destination, state, "lastError")`;
  const profiles = [
    ...new Set(rows.filter((r) => REWARD_PROFILE_EVENTS.has(r.type)).map((r) => r.member.id)),
  ];
  if (profiles.length > 0) {
    await tx.$executeRaw`
      UPDATE "Member" SET "profileSyncRequestedAt" = ${now}::timestamp(3)
      WHERE id = ANY(${profiles}::uuid[])`;
  }
  // The wake-ups recordEvent asks for, once per shop (each is once per shop anyway).
  for (const shopId of new Set(rows.map((r) => r.member.shopId))) {
    const forShop = rows.filter((r) => r.member.shopId === shopId);
    if (
      forShop.some((r) => r.deliveries.destinations.includes("flow") && !r.deliveries.flowSkipped)
    ) {
      await queueFlowDelivery(tx, shopId);
    }
    await queueKlaviyoDelivery(tx, shopId);
    if (forShop.some((r) => !r.deliveries.history)) await queueOmnisendDelivery(tx, shopId);
  }
}
