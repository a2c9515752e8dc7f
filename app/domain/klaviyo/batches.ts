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
    const size = JSON.stringify(event).length;
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
