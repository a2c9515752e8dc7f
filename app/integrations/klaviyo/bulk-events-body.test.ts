import fc from "fast-check";
import { ObjectSerializer } from "klaviyo-api";
import { describe, expect, it } from "vitest";
import { eventBytes, packEventBatches, type EventBatch, type KlaviyoEvent } from "~/domain/klaviyo";
import { bulkCreateEventsBody } from "./bulk-events-body";

/**
 * The oracle: the body the client handed klaviyo-api before ADR 0051, serialized as the SDK does
 * (its ObjectSerializer, then axios's JSON.stringify).
 */
function sdkWireBody(batch: EventBatch, backfill: boolean): unknown {
  const body = {
    data: {
      type: "event-bulk-create-job",
      attributes: {
        eventsBulkCreate: {
          data: batch.profiles.map((group) => ({
            type: "event-bulk-create",
            attributes: {
              profile: { data: { type: "profile", attributes: group.profile } },
              events: {
                data: group.events.map((event) => ({
                  type: "event",
                  attributes: {
                    properties: event.properties,
                    time: event.time,
                    uniqueId: event.uniqueId,
                    metric: { data: { type: "metric", attributes: { name: event.metric } } },
                    ...(backfill ? { backfill: true } : {}),
                  },
                })),
              },
            },
          })),
        },
      },
    },
  };
  return JSON.parse(JSON.stringify(ObjectSerializer.serialize(body, "EventsBulkCreateJob")));
}

/** The bytes of a bulk job's JSON around its groups of events (the envelope MAX_BULK_BYTES leaves room for). */
const BULK_JOB_ENVELOPE = 100;

const identity = fc.record(
  {
    email: fc.constantFrom("ann@example.com", "bob@example.com", "ünï+tag@example.org"),
    phoneNumber: fc.constantFrom("+15555550100", "+447700900123"),
    externalId: fc.constantFrom("1001", "1002", "9007199254740993"),
  },
  { requiredKeys: [] },
);

// Catalog properties are JSON: strings (any text), numbers, booleans, nulls, lists and objects,
// including keys that look like the SDK's own attribute names.
const properties = fc.dictionary(
  fc.oneof(fc.string(), fc.constantFrom("uniqueId", "unique_id", "phoneNumber", "__proto__")),
  fc.jsonValue({ maxDepth: 3 }),
  { maxKeys: 8 },
);

const event: fc.Arbitrary<KlaviyoEvent> = fc.record({
  metric: fc.constantFrom("Loyalty Points Earned", "Loyalty Tier Changed", "Łoyalty ✨"),
  properties,
  time: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  uniqueId: fc.uuid(),
  profile: identity,
}) as fc.Arbitrary<KlaviyoEvent>;

describe("bulkCreateEventsBody", () => {
  it("is exactly what klaviyo-api's serializer makes of the same batch", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), fc.boolean(), (events, backfill) => {
        for (const batch of packEventBatches(events, { events: 7, bytes: 4_500_000 })) {
          expect(JSON.parse(bulkCreateEventsBody(batch, backfill))).toEqual(
            sdkWireBody(batch, backfill),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never weighs more on the wire than the packer counted for its events", () => {
    // Any text, characters of two, three and four UTF-8 bytes included: the 5 MB limit is bytes.
    const text = fc.string({ unit: "binary", maxLength: 40 });
    const wide: fc.Arbitrary<KlaviyoEvent> = fc.record(
      {
        metric: fc.oneof(text, fc.constant("Placed Order")),
        properties: fc.dictionary(text, fc.oneof(text, fc.jsonValue({ maxDepth: 2 })), {
          maxKeys: 6,
        }),
        time: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        uniqueId: fc.uuid(),
        profile: fc.record(
          { email: text, phoneNumber: text, externalId: text },
          { requiredKeys: [] },
        ),
        value: fc.double({ noNaN: true, noDefaultInfinity: true }),
        valueCurrency: fc.constantFrom("USD", "EUR"),
      },
      { requiredKeys: ["metric", "properties", "time", "uniqueId", "profile"] },
    ) as fc.Arbitrary<KlaviyoEvent>;
    fc.assert(
      fc.property(fc.array(wide, { maxLength: 20 }), fc.boolean(), (events, backfill) => {
        for (const batch of packEventBatches(events, { events: 5, bytes: 4_500_000 })) {
          const counted = batch.events.reduce((bytes, e) => bytes + eventBytes(e), 0);
          const body = bulkCreateEventsBody(batch, backfill);
          // The job's own envelope, around the events: {"data":{"type":"event-bulk-create-job",…
          expect(Buffer.byteLength(body)).toBeLessThanOrEqual(counted + BULK_JOB_ENVELOPE);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("sends backfill only for history, and a profile's events under that profile", () => {
    const events: KlaviyoEvent[] = [
      {
        metric: "Loyalty Points Earned",
        properties: { points: 10 },
        time: "2026-12-01T10:00:00.000Z",
        uniqueId: "e1",
        profile: { email: "ann@example.com" },
      },
      {
        metric: "Loyalty Points Earned",
        properties: { points: 5 },
        time: "2026-12-01T11:00:00.000Z",
        uniqueId: "e2",
        profile: { email: "ann@example.com" },
      },
    ] as KlaviyoEvent[];
    const [batch] = packEventBatches(events);
    const live = JSON.parse(bulkCreateEventsBody(batch!, false));
    const groups = live.data.attributes["events-bulk-create"].data;
    expect(groups).toHaveLength(1);
    expect(groups[0].attributes.profile.data.attributes).toEqual({ email: "ann@example.com" });
    const sent = groups[0].attributes.events.data.map((e: { attributes: object }) => e.attributes);
    expect(sent.map((a: { unique_id: string }) => a.unique_id)).toEqual(["e1", "e2"]);
    expect(sent.every((a: object) => !("backfill" in a))).toBe(true);
    const history = JSON.parse(bulkCreateEventsBody(batch!, true));
    const first = history.data.attributes["events-bulk-create"].data[0].attributes.events.data[0];
    expect(first.attributes.backfill).toBe(true);
  });
});
