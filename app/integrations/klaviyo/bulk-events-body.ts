import { propertiesJson, type EventBatch, type KlaviyoEvent } from "~/domain/klaviyo";
import type { ProfileIdentity } from "~/domain/klaviyo";

/**
 * The Bulk Create Events body (revision 2026-07-15) in Klaviyo's wire format, written as JSON
 * text once. It is what klaviyo-api's `ObjectSerializer.serialize(…, "EventsBulkCreateJob")` and
 * axios's `JSON.stringify` make of the SDK's camelCase body, with the same snake_case names. The
 * SDK walks each of a request's thousand events through its model maps, which took as much CPU
 * as the rest of the drain (ADR 0051). `bulk-events-body.test.ts` holds this function to the
 * SDK's serializer as the oracle.
 */
export function bulkCreateEventsBody(batch: EventBatch, backfill: boolean): string {
  const groups = batch.profiles.map(
    (group) =>
      `{"type":"event-bulk-create","attributes":{"profile":{"data":{"type":"profile","attributes":${profileAttributes(group.profile)}}},"events":{"data":[${group.events.map((event) => eventResource(event, backfill)).join(",")}]}}}`,
  );
  return `{"data":{"type":"event-bulk-create-job","attributes":{"events-bulk-create":{"data":[${groups.join(",")}]}}}}`;
}

function profileAttributes(profile: ProfileIdentity): string {
  return JSON.stringify({
    email: profile.email,
    phone_number: profile.phoneNumber,
    external_id: profile.externalId,
  });
}

function eventResource(event: KlaviyoEvent, backfill: boolean): string {
  // Only sent when true, as the SDK body did: flows must not fire for history ("Sync now").
  const flag = backfill ? `"backfill":true,` : "";
  // A commerce event's value (ADR 0071), where the SDK's serializer puts it: after time.
  const value =
    (event.value !== undefined ? `,"value":${JSON.stringify(event.value)}` : "") +
    (event.valueCurrency !== undefined
      ? `,"value_currency":${JSON.stringify(event.valueCurrency)}`
      : "");
  return `{"type":"event","attributes":{${flag}"properties":${propertiesJson(event)},"time":${JSON.stringify(event.time)}${value},"unique_id":${JSON.stringify(event.uniqueId)},"metric":{"data":{"type":"metric","attributes":{"name":${JSON.stringify(event.metric)}}}}}}`;
}
