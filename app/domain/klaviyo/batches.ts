import type { KlaviyoEvent } from "./event";
import { identityKey, type ProfileIdentity } from "./identity";

/** Klaviyo's Bulk Create Events limits (klaviyo.md §3): 1,000 events and 5 MB per request. */
export const MAX_EVENTS_PER_BULK = 1000;
/** Headroom under 5 MB for the JSON:API envelope and key renaming (uniqueId → unique_id). */
export const MAX_BULK_BYTES = 4_500_000;

export type ProfileEvents = { profile: ProfileIdentity; events: KlaviyoEvent[] };

export type EventBatch = {
  /** Events grouped by profile, the shape of a bulk create job. */
  profiles: ProfileEvents[];
  /** The events in this batch, in input order. */
  events: KlaviyoEvent[];
};

const propertiesJsonOf = new WeakMap<KlaviyoEvent, string>();

/**
 * An event's properties as JSON text, written once: the packer weighs it and the request body
 * embeds it (writing it twice cost a tenth of a drain's CPU, issue #24).
 */
export function propertiesJson(event: KlaviyoEvent): string {
  let json = propertiesJsonOf.get(event);
  if (json === undefined) {
    json = JSON.stringify(event.properties);
    propertiesJsonOf.set(event, json);
  }
  return json;
}

/**
 * Room for what wraps an event in a bulk request: its JSON:API resource and metric objects, the
 * backfill flag, and its profile's resource (counted per event, so a group of one profile's events
 * is over-counted, never under). The property test of the request body holds it to the wire.
 */
const EVENT_ENVELOPE_BYTES = 400;

/** A short string as it is written in JSON: quoted, escaped, in UTF-8. */
const jsonBytes = (text: string | undefined) =>
  text === undefined ? 0 : utf8Bytes(JSON.stringify(text));

/** At least the UTF-8 bytes the event takes in a Bulk Create Events body (klaviyo.md §3: 5 MB). */
export function eventBytes(event: KlaviyoEvent): number {
  const { profile } = event;
  return (
    EVENT_ENVELOPE_BYTES +
    utf8Bytes(propertiesJson(event)) +
    jsonBytes(event.metric) +
    jsonBytes(event.time) +
    jsonBytes(event.uniqueId) +
    (event.value === undefined ? 0 : JSON.stringify(event.value).length) +
    jsonBytes(event.valueCurrency) +
    jsonBytes(profile.email) +
    jsonBytes(profile.phoneNumber) +
    jsonBytes(profile.externalId)
  );
}

const NON_ASCII = /[\u0080-\uffff]/;

/** UTF-8 length: a string's length when it is ASCII, else 2–4 bytes per character beyond it. */
export function utf8Bytes(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair: one character of four bytes
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Packs events into bulk requests in order. A repeated unique_id fails a whole bulk request
 * ("the request will fail and no events will be processed"), so each id goes into the first batch
 * that has it and later copies are dropped: Klaviyo would have ignored them anyway.
 */
export function packEventBatches(
  events: readonly KlaviyoEvent[],
  limits = { events: MAX_EVENTS_PER_BULK, bytes: MAX_BULK_BYTES },
): EventBatch[] {
  const batches: EventBatch[] = [];
  const seen = new Set<string>();
  let current: { batch: EventBatch; byProfile: Map<string, ProfileEvents>; bytes: number } | null =
    null;
  for (const event of events) {
    if (seen.has(event.uniqueId)) continue;
    seen.add(event.uniqueId);
    const size = eventBytes(event);
    const full =
      current !== null &&
      current.batch.events.length > 0 &&
      (current.batch.events.length >= limits.events || current.bytes + size > limits.bytes);
    if (!current || full) {
      current = { batch: { profiles: [], events: [] }, byProfile: new Map(), bytes: 0 };
      batches.push(current.batch);
    }
    const key = identityKey(event.profile);
    let group = current.byProfile.get(key);
    if (!group) {
      group = { profile: event.profile, events: [] };
      current.byProfile.set(key, group);
      current.batch.profiles.push(group);
    }
    group.events.push(event);
    current.batch.events.push(event);
    current.bytes += size;
  }
  return batches;
}
