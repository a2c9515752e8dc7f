import { afterAll, beforeAll } from "vitest";
import prisma from "~/db.server";
import { clearEnvCache } from "~/env.server";
import { DEFAULT_PROGRAM_CONFIG } from "~/domain/program";
import { EXAMPLE_PAYLOADS, type LoyaltyEventType } from "~/domain/events";
import { SAMPLE_PROFILE } from "~/services/klaviyo/bootstrap.server";
import { recordEvent } from "~/services/events/outbox.server";
import {
  startKlaviyoStandIn,
  type KlaviyoStandIn,
  type KlaviyoStandInOptions,
} from "../../sandbox/klaviyo/server";
import { deliver, newStore } from "./deliveries";

export const KLAVIYO_KEY = "pk_test0123456789abcdef0123456789abcdef";

/** One Klaviyo stand-in for the test file, with the app pointed at it (KLAVIYO_API_URL). */
export function klaviyoStandIn(options: KlaviyoStandInOptions = {}) {
  let standIn: KlaviyoStandIn | undefined;
  beforeAll(async () => {
    standIn = await startKlaviyoStandIn(options);
    process.env.KLAVIYO_API_URL = standIn.url;
    clearEnvCache();
  });
  afterAll(async () => {
    await standIn?.close();
  });
  return () => {
    if (!standIn) throw new Error("Klaviyo stand-in not started");
    return standIn;
  };
}

/** A member created through the customers/create webhook. */
export async function newMember(contact: { email?: string | null; phone?: string | null } = {}) {
  const store = newStore();
  const customer = store.addCustomer({
    email: contact.email === undefined ? `k${store.newId()}@example.com` : contact.email,
    ...(contact.phone ? { phone: contact.phone } : {}),
  });
  await deliver("customers/create", customer);
  const shop = await prisma.shop.findFirstOrThrow();
  const member = await prisma.member.findUniqueOrThrow({
    where: { shopId_customerId: { shopId: shop.id, customerId: BigInt(customer.id) } },
  });
  return { shop, member, customer, store };
}

/** Writes one catalog event (its example payload) for the member, as the services do. */
export async function recordExampleEvent(
  memberId: string,
  type: LoyaltyEventType,
  occurredAt = new Date(),
) {
  return prisma.$transaction(async (tx) => {
    const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
    return recordEvent(
      tx,
      member,
      DEFAULT_PROGRAM_CONFIG,
      type,
      EXAMPLE_PAYLOADS[type] as never,
      occurredAt,
    );
  });
}

export async function klaviyoDeliveries(shopId: string) {
  return prisma.eventDelivery.findMany({ where: { shopId, destination: "klaviyo" } });
}

/** Events of a metric on real members' profiles (not the sample profile sent on connect). */
export function memberEvents(standIn: KlaviyoStandIn, metric: string) {
  const sample = standIn.state.findProfile({ external_id: SAMPLE_PROFILE.externalId });
  return standIn.state.eventsForMetric(metric).filter((e) => e.profile_id !== sample?.id);
}
