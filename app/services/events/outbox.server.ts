import { randomUUID } from "node:crypto";
import type { Member, Prisma } from "@prisma/client";
import {
  createLoyaltyEvent,
  eventDefinition,
  type LoyaltyEventType,
  type PayloadOf,
} from "~/domain/events/index";
import type { ProgramConfig } from "~/domain/program/index";
import { queueFlowDelivery } from "~/jobs/queues/send.server";
import { queueKlaviyoDelivery } from "~/jobs/queues/send.server";
import { memberSnapshot } from "../members/repository.server";
import { HISTORY_NOT_SENT_TO_FLOW, historyMode } from "./history.server";

/** Where events go. Each gets its own delivery row, so one destination's outage never blocks another. */
export const DESTINATIONS = ["flow", "klaviyo"] as const;

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
  const event = createLoyaltyEvent(type, {
    id: randomUUID(),
    shopId: member.shopId,
    customerId: member.customerId.toString(),
    occurredAt: occurredAt.toISOString(),
    payload,
    snapshot: memberSnapshot(member, config),
  });
  const destinations = DESTINATIONS.filter(
    (destination) => destination !== "flow" || eventDefinition(type).flowTrigger !== null,
  );
  // Imported history goes to Klaviyo as backfill and to Flow only if the merchant asked.
  const history = historyMode();
  const flowSkipped = history !== undefined && !history.fireFlows;
  const states = destinations.map((destination) =>
    !history
      ? "pending"
      : destination === "klaviyo"
        ? "backfill"
        : flowSkipped
          ? "skipped"
          : "pending",
  );
  const errors = states.map((state) => (state === "skipped" ? HISTORY_NOT_SENT_TO_FLOW : null));
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
  if (destinations.includes("flow") && !flowSkipped) await queueFlowDelivery(tx, member.shopId);
  await queueKlaviyoDelivery(tx, member.shopId);
  return event;
}
