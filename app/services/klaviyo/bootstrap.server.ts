import { createHash } from "node:crypto";
import type { KlaviyoConnection, Shop } from "@prisma/client";
import prisma from "~/db.server";
import { moneyLocale } from "~/domain/money";
import { EVENT_TYPES, exampleLoyaltyEvent } from "~/domain/events";
import {
  klaviyoEvent,
  packEventBatches,
  profileProperties,
  sampleProfileFacts,
  type ProfileIdentity,
} from "~/domain/klaviyo";
import type { KlaviyoClient } from "~/integrations/klaviyo";

/** Identified by an id only: a flow a merchant tests on it can never email or text anyone. */
export const SAMPLE_PROFILE: ProfileIdentity = { externalId: "loyalty-app-sample-member" };

/** A stable UUID per shop and event type, so a repeated bootstrap is recorded once by Klaviyo. */
function sampleEventId(shopId: string, type: string): string {
  const hex = createHash("sha256").update(`sample:${shopId}:${type}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * On connect (seed 003): one sample profile with every property and one sample event per metric,
 * so the merchant can build flows and segments before real activity. Sent as backfill: the
 * metrics appear, flows do not fire.
 */
export async function sendSamples(
  connection: KlaviyoConnection,
  shop: Shop,
  client: KlaviyoClient,
  now: Date,
) {
  const events = EVENT_TYPES.map((type) => ({
    ...klaviyoEvent(
      exampleLoyaltyEvent(type, {
        id: sampleEventId(shop.id, type),
        shopId: shop.id,
        occurredAt: now.toISOString(),
      }),
      // The sample invitation (referral.sent) lands on the sample profile like the rest.
      SAMPLE_PROFILE,
    ),
    profile: SAMPLE_PROFILE,
  }));
  for (const batch of packEventBatches(events)) await client.bulkCreateEvents(batch, true);
  await client.upsertProfile({
    identity: SAMPLE_PROFILE,
    properties: profileProperties(
      sampleProfileFacts(now, shop.currency, moneyLocale(shop.countryCode)),
      { currency: shop.currency, timeZone: shop.timeZone, locale: moneyLocale(shop.countryCode) },
      connection.propertyPrefix,
    ),
  });
  await prisma.klaviyoConnection.update({
    where: { shopId: shop.id },
    data: { bootstrappedAt: now },
  });
}
