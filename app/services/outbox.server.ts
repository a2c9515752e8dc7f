import { randomUUID } from "node:crypto";
import type { Member, Prisma } from "@prisma/client";
import {
  createLoyaltyEvent,
  eventDefinition,
  type LoyaltyEventType,
  type PayloadOf,
} from "~/domain/events";
import type { ProgramConfig } from "~/domain/program";
import { queueFlowDelivery } from "~/jobs/flow-delivery.server";
import { queueKlaviyoDelivery } from "~/jobs/klaviyo.server";
import { memberSnapshot } from "./members.server";

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
  await tx.loyaltyEvent.create({
    data: {
      id: event.id,
      shopId: member.shopId,
      memberId: member.id,
      customerId: member.customerId,
      type,
      payload: event.payload as Prisma.InputJsonValue,
      snapshot: event.snapshot as Prisma.InputJsonValue,
      occurredAt,
      deliveries: {
        create: destinations.map((destination) => ({ destination, shopId: member.shopId })),
      },
    },
  });
  if (destinations.includes("flow")) await queueFlowDelivery(tx, member.shopId);
  await queueKlaviyoDelivery(tx, member.shopId);
  return event;
}
