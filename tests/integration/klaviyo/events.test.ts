import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import {
  EVENT_TYPES,
  eventDefinition,
  EXAMPLE_PAYLOADS,
  EXAMPLE_SNAPSHOT,
  klaviyoEventProperties,
} from "~/domain/events/index";
import { SAMPLE_PROFILE } from "~/services/klaviyo/bootstrap.server";
import { connectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import {
  KLAVIYO_KEY,
  klaviyoDeliveries,
  klaviyoStandIn,
  newMember,
  recordExampleEvent,
  memberEvents,
} from "../../support/klaviyo";

const klaviyo = klaviyoStandIn();
const bulkRequests = () =>
  klaviyo().state.requests.filter((r) => r.operation === "bulk_create_events" && r.status < 300)
    .length;

async function connectedMember(contact?: Parameters<typeof newMember>[0]) {
  const created = await newMember(contact);
  await connectKlaviyo(created.shop.id, KLAVIYO_KEY);
  return created;
}

describe("Klaviyo event delivery (contract)", () => {
  it("sends every catalog event with its exact metric name and properties, once", async () => {
    const { shop, member } = await connectedMember({ email: "contract@example.com" });
    const recorded = new Map<string, string>();
    for (const type of EVENT_TYPES)
      recorded.set(type, (await recordExampleEvent(member.id, type)).id);
    // The example invitation, as inviteFriend keeps it until it is delivered.
    const invitationId = EXAMPLE_PAYLOADS["referral.sent"].invitation_id!;
    await prisma.referralInvite.create({
      data: {
        id: invitationId,
        shopId: shop.id,
        advocateMemberId: member.id,
        friendEmailKey: "k",
        friendEmail: "invited.friend@example.com",
        day: "2026-12-07",
        eventId: recorded.get("referral.sent"),
      },
    });
    const afterConnect = klaviyo().state.requests.length;

    const report = await drainKlaviyo(shop.id);

    expect(report.state).toBe("done");
    // Delivered, the friend's address is not kept any longer (ADR 0056).
    expect(
      (await prisma.referralInvite.findUniqueOrThrow({ where: { id: invitationId } })).friendEmail,
    ).toBeNull();
    // Every request the app made passed the stand-in's OpenAPI validation and limits.
    const refused = klaviyo()
      .state.requests.slice(afterConnect)
      .filter((r) => r.status >= 400);
    expect(refused).toEqual([]);
    const events = await prisma.loyaltyEvent.findMany({
      where: { id: { in: [...recorded.values()] } },
    });
    for (const type of EVENT_TYPES) {
      const metric = eventDefinition(type).klaviyoMetric;
      const received = memberEvents(klaviyo(), metric);
      if (type === "referral.sent") {
        // On the invited friend's profile, with the invitation's properties only.
        expect(received).toHaveLength(1);
        const friend = klaviyo().state.findProfile({ email: "invited.friend@example.com" });
        expect(received[0]!.profile_id).toBe(friend?.id);
        const { invitation_id: _id, ...invitation } = EXAMPLE_PAYLOADS["referral.sent"];
        expect(received[0]!.properties).toEqual(invitation);
        continue;
      }
      expect(received, metric).toHaveLength(1);
      const sent = events.find((e) => e.type === type)!;
      expect(received[0]!.unique_id).toBe(sent.id);
      const expected = klaviyoEventProperties(
        type,
        EXAMPLE_PAYLOADS[type] as never,
        sent.snapshot as never,
      );
      expect(received[0]!.properties).toEqual(expected);
    }
    const deliveries = await klaviyoDeliveries(shop.id);
    expect(deliveries.filter((d) => d.state === "delivered")).toHaveLength(EVENT_TYPES.length);

    // A second drain sends nothing again.
    const requests = klaviyo().state.requests.length;
    await drainKlaviyo(shop.id);
    const eventRequests = klaviyo()
      .state.requests.slice(requests)
      .filter((r) => r.operation === "create_event" || r.operation === "bulk_create_events");
    expect(eventRequests).toEqual([]);
  });

  it("uses Bulk Create Events for a backlog, and one bad event fails alone with Klaviyo's reason", async () => {
    const { shop, member } = await connectedMember();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await recordExampleEvent(member.id, "points.added")).id);
    // Klaviyo refuses events dated before 1990: this one fails the bulk request it is in.
    const bad = await recordExampleEvent(
      member.id,
      "points.added",
      new Date("1989-12-31T00:00:00Z"),
    );
    ids.push(bad.id);
    const bulkBefore = klaviyo().state.requests.filter(
      (r) => r.operation === "bulk_create_events",
    ).length;

    const report = await drainKlaviyo(shop.id);

    expect(report.state).toBe("done");
    const bulk = klaviyo().state.requests.filter((r) => r.operation === "bulk_create_events");
    expect(bulk.length).toBeGreaterThan(bulkBefore);
    const deliveries = (await klaviyoDeliveries(shop.id)).filter((d) => ids.includes(d.eventId));
    const failed = deliveries.filter((d) => d.state === "failed");
    expect(failed.map((d) => d.eventId)).toEqual([bad.id]);
    expect(failed[0]!.lastError).toMatch(/Klaviyo rejected the event: .*time/i);
    const uniqueIds = klaviyo().state.events.map((e) => e.unique_id);
    expect(new Set(uniqueIds).size).toBe(uniqueIds.length);
    expect(deliveries.filter((d) => d.state === "delivered").length).toBe(30);
  });

  it("drains a backlog over several rounds: each event once, with its own time, in any time zone", async () => {
    const { shop, member } = await connectedMember();
    await drainKlaviyo(shop.id); // the welcome event and the samples sent on connect
    const EVENTS = 7000; // rounds of 1,000, 4,000 and then the rest
    const base = Date.parse("2026-11-30T12:00:00.000Z");
    // Two events per second, so rounds end between and inside runs of events sharing a time.
    await prisma.$executeRaw`
      INSERT INTO "LoyaltyEvent" (id, "shopId", "memberId", "customerId", type, payload, snapshot, "occurredAt")
      SELECT gen_random_uuid(), ${shop.id}::uuid, ${member.id}::uuid, ${member.customerId}, 'points.added',
        ${JSON.stringify(EXAMPLE_PAYLOADS["points.added"])}::jsonb,
        ${JSON.stringify(EXAMPLE_SNAPSHOT)}::jsonb
          || jsonb_build_object('customer_id', ${member.customerId.toString()}::text),
        ${new Date(base).toISOString()}::timestamp(3) + (g / 2) * interval '1 second'
      FROM generate_series(0, ${EVENTS - 1}::int) g`;
    await prisma.$executeRaw`
      INSERT INTO "EventDelivery" ("eventId", "shopId", destination, "updatedAt")
      SELECT id, "shopId", 'klaviyo', now() FROM "LoyaltyEvent"
      WHERE "shopId" = ${shop.id}::uuid AND type = 'points.added'
      ON CONFLICT DO NOTHING`;
    const stored = await prisma.loyaltyEvent.findMany({
      where: {
        shopId: shop.id,
        occurredAt: { gte: new Date(base), lt: new Date(base + EVENTS * 1000) },
      },
      select: { id: true, occurredAt: true },
    });
    const requestsBefore = bulkRequests();
    // A cursor passed to the driver as a local time would walk back hours here and read again.
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const report = await drainKlaviyo(shop.id);
      expect(report.state).toBe("done");
    } finally {
      process.env.TZ = zone;
      if (zone === undefined) delete process.env.TZ;
    }

    expect(bulkRequests() - requestsBefore).toBe(EVENTS / 1000);
    const ids = new Set(stored.map((event) => event.id));
    const sent = klaviyo().state.events.filter((event) => ids.has(event.unique_id));
    expect(sent).toHaveLength(EVENTS);
    const timeOf = new Map(sent.map((event) => [event.unique_id, Date.parse(event.time)]));
    for (const event of stored) expect(timeOf.get(event.id)).toBe(event.occurredAt.getTime());
    const states = (await klaviyoDeliveries(shop.id)).filter((d) => ids.has(d.eventId));
    expect(states.filter((d) => d.state === "delivered")).toHaveLength(EVENTS);
  }, 60_000);

  it("identifies a customer without email or phone by their Shopify customer id", async () => {
    const { shop, member, customer } = await connectedMember({ email: null });
    await recordExampleEvent(member.id, "points.added");
    await drainKlaviyo(shop.id);
    const profile = klaviyo().state.findProfile({ external_id: String(customer.id) });
    expect(profile).toBeDefined();
    expect(profile!.email).toBeNull();
  });
});

describe("Klaviyo bootstrap on connect (seed 003)", () => {
  it("sends one sample event per metric as backfill and a sample profile, once", async () => {
    const { shop } = await connectedMember();
    await drainKlaviyo(shop.id);
    await prisma.klaviyoConnection.update({
      where: { shopId: shop.id },
      data: { bootstrappedAt: null },
    });
    await drainKlaviyo(shop.id); // a second bootstrap is recorded once by Klaviyo (stable unique ids)

    const sample = klaviyo().state.findProfile({ external_id: SAMPLE_PROFILE.externalId })!;
    expect(sample.email).toBeNull();
    expect(sample.properties.loyalty_vip_tier).toBe("Gold");
    // Every catalog §4 property has a value to build templates and segments on (issue #21).
    const empty = Object.entries(sample.properties).filter(
      ([name, value]) =>
        (name.startsWith("loyalty_") || name.startsWith("store_credit_")) && value === null,
    );
    expect(empty).toEqual([]);
    expect(sample.properties.store_credit_currency).toBe(shop.currency);
    const samples = klaviyo().state.events.filter((e) => e.profile_id === sample.id);
    expect(samples.map((e) => e.metric_name).sort()).toEqual(
      EVENT_TYPES.map((type) => eventDefinition(type).klaviyoMetric).sort(),
    );
    expect(samples.every((e) => e.backfill)).toBe(true);
  });
});
