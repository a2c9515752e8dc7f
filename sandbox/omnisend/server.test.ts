import { describe, expect, it } from "vitest";
import { loadOmnisendContract } from "./openapi";
import {
  API_KEY,
  NOW,
  call,
  contactBody,
  eventBody,
  eventUuid,
  fieldErrors,
  standInPerTest,
} from "./test-helpers";

const { start, s } = standInPerTest();

function expectProblem(reply: { status: number; headers: Headers; json: unknown }, status: number) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get("content-type")).toBe("application/problem+json");
  expect(reply.json).toMatchObject({
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.stringMatching(/^urn:omnisend:request:/),
  });
}

describe("contract", () => {
  it("serves the version the contracts declare, under /api, with 400/min on served operations", async () => {
    await start();
    const contract = loadOmnisendContract();
    expect(contract.version).toBe("2026-03-15");
    expect(s().url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    for (const [method, path] of [
      ["POST", "/events"],
      ["POST", "/contacts"],
      ["GET", "/contacts/{id}"],
    ] as const) {
      expect(contract.operation(method, path).requestsPerMinute).toBe(s().limit.requests);
    }
  });
});

describe("authentication and version", () => {
  it("answers 401 Problem Details for a missing, malformed, unknown or revoked key", async () => {
    await start({ apiKeys: [API_KEY, "second-key"] });
    const body = eventBody();
    expectProblem(await call(s(), "POST", "/events", body, { Authorization: undefined }), 401);
    expectProblem(await call(s(), "POST", "/events", body, { Authorization: `Bearer x` }), 401);
    const unknown = { Authorization: "Omnisend-API-Key nope" };
    expectProblem(await call(s(), "POST", "/events", body, unknown), 401);

    expect((await call(s(), "POST", "/events", body)).status).toBe(202);
    s().state.revokeKey(API_KEY);
    expectProblem(await call(s(), "POST", "/events", eventBody()), 401);
    const second = { Authorization: "Omnisend-API-Key second-key" };
    expect((await call(s(), "POST", "/events", eventBody(), second)).status).toBe(202);
  });

  it("requires Omnisend-Version: 400 when missing, 410 for a retired version", async () => {
    await start();
    const missing = await call(s(), "GET", "/contacts", undefined, {
      "Omnisend-Version": undefined,
    });
    expectProblem(missing, 400);
    expect(missing.json?.detail).toMatch(/Omnisend-Version/);
    expectProblem(
      await call(s(), "GET", "/contacts", undefined, { "Omnisend-Version": "2025-01-01" }),
      410,
    );
    expectProblem(
      await call(s(), "GET", "/contacts", undefined, { "Omnisend-Version": "2099-01-01" }),
      400,
    );
  });

  it("answers 403 when a scoped key lacks the operation's scope", async () => {
    await start({ keyScopes: { [API_KEY]: ["contacts.read"] } });
    const denied = await call(s(), "POST", "/events", eventBody());
    expectProblem(denied, 403);
    expect(denied.json?.detail).toMatch(/events\.write/);
    expectProblem(await call(s(), "POST", "/contacts", contactBody("ada@example.com")), 403);
    expect((await call(s(), "GET", "/contacts")).status).toBe(200);
  });
});

describe("POST /events", () => {
  it("answers 202 with no body, records the event and creates the contact with its properties", async () => {
    await start();
    const body = eventBody();
    const r = await call(s(), "POST", "/events", body);
    expect(r.status).toBe(202);
    expect(r.text).toBe("");

    const contact = s().state.contactByEmail("ADA@example.com");
    expect(contact?.customProperties).toEqual({
      loyalty_points_balance: 150,
      loyalty_tier: "Gold",
    });
    expect(contact?.identifiers[0]?.channels.email?.status).toBe("nonSubscribed");
    expect(s().state.eventsNamed("loyalty points earned")).toEqual([
      expect.objectContaining({
        eventID: body.eventID,
        eventTime: "2026-04-01T12:00:00Z",
        origin: "sandbox-loyalty-app",
        properties: { points: 50, reason: "order" },
        contactID: contact?.id,
        historical: false,
        duplicate: false,
        body,
      }),
    ]);
    expect(s().state.requests.at(-1)).toMatchObject({
      method: "POST",
      path: "/api/events",
      status: 202,
    });
  });

  it("updates the same contact on later events, merging customProperties", async () => {
    await start();
    await call(s(), "POST", "/events", eventBody());
    const later = eventBody({
      contact: { email: "ada@example.com", customProperties: { loyalty_points_balance: 175 } },
    });
    expect((await call(s(), "POST", "/events", later)).status).toBe(202);
    expect(s().state.contacts).toHaveLength(1);
    expect(s().state.contactByEmail("ada@example.com")?.customProperties).toEqual({
      loyalty_points_balance: 175,
      loyalty_tier: "Gold",
    });
  });

  it("rejects an event whose contact has no email or phone, or that has no contact", async () => {
    await start();
    const anonymous = await call(
      s(),
      "POST",
      "/events",
      eventBody({ contact: { firstName: "A" } }),
    );
    expectProblem(anonymous, 400);
    expect(fieldErrors(anonymous)).toEqual([expect.objectContaining({ field: "contact" })]);
    const noContact = await call(s(), "POST", "/events", eventBody({ contact: undefined }));
    expect(fieldErrors(noContact)).toEqual([
      expect.objectContaining({ field: "contact", code: "required" }),
    ]);
    expect(s().state.events).toHaveLength(0);
    expect(s().state.contacts).toHaveLength(0);
  });

  it("validates against EventRequest: unknown fields, eventID, eventTime, types", async () => {
    await start();
    const r = await call(
      s(),
      "POST",
      "/events",
      eventBody({ eventId: "x", contact: { email: "ada@example.com", gender: "x" } }),
    );
    expect(r.status).toBe(400);
    expect(fieldErrors(r)).toEqual([
      expect.objectContaining({ field: "contact.gender", code: "invalid_value" }),
      expect.objectContaining({ field: "eventId", code: "unknown_field" }),
    ]);
    const bad = await call(
      s(),
      "POST",
      "/events",
      eventBody({ eventID: "not-a-uuid", eventTime: "2026-04-01T12:00:00" }),
    );
    expect(fieldErrors(bad).map((e) => e.field)).toEqual(["eventID", "eventTime"]);
    const malformed = await fetch(`${s().url}/events`, {
      method: "POST",
      headers: { Authorization: `Omnisend-API-Key ${API_KEY}`, "Omnisend-Version": "2026-03-15" },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    const spaced = eventBody({ eventTime: "2026-04-01 14:00:00+02:00" });
    expect((await call(s(), "POST", "/events", spaced)).status).toBe(202);
    expect(s().state.events[0]?.eventTime).toBe("2026-04-01T12:00:00Z");
  });

  it("rejects custom property names, nested objects and long strings, naming the field", async () => {
    await start();
    const withProps = (customProperties: Record<string, unknown>) =>
      eventBody({ contact: { email: "ada@example.com", customProperties } });
    const badName = await call(s(), "POST", "/events", withProps({ "loyalty-points": 1 }));
    expectProblem(badName, 400);
    expect(fieldErrors(badName)).toEqual([
      expect.objectContaining({
        field: "contact.customProperties.loyalty-points",
        code: "invalid_name",
      }),
    ]);
    const nested = await call(s(), "POST", "/events", withProps({ tier: { name: "Gold" } }));
    expect(fieldErrors(nested)[0]).toMatchObject({ field: "contact.customProperties.tier" });
    const long = await call(s(), "POST", "/events", withProps({ note: "x".repeat(2049) }));
    expect(fieldErrors(long)[0]).toMatchObject({ code: "too_long" });
    const tooMany = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`p${i}`, i]));
    const many = await call(s(), "POST", "/events", withProps(tooMany));
    expect(fieldErrors(many)[0]).toMatchObject({ code: "too_many_properties" });

    const fine = withProps({ rewards: ["free_shipping", 10, true], x: "y".repeat(2048) });
    expect((await call(s(), "POST", "/events", fine)).status).toBe(202);
  });

  it("deduplicates historical events on eventID + eventTime, never real-time ones", async () => {
    const clock = await start();
    const realTime = eventBody({ eventID: eventUuid() });
    await call(s(), "POST", "/events", realTime);
    await call(s(), "POST", "/events", realTime);
    const old = new Date(NOW - 2 * 60 * 60 * 1000).toISOString();
    const historical = eventBody({ eventID: eventUuid(), eventTime: old });
    await call(s(), "POST", "/events", historical);
    clock.advance(5_000);
    await call(s(), "POST", "/events", historical);
    // Same eventID at another time is another event.
    await call(s(), "POST", "/events", { ...historical, eventTime: "2026-01-01T00:00:00Z" });

    const events = s().state.eventsNamed("loyalty points earned");
    expect(events.map((e) => [e.historical, e.duplicate])).toEqual([
      [false, false],
      [false, false],
      [true, false],
      [true, true],
      [true, false],
    ]);
    expect(s().state.requests.every((r) => r.status === 202)).toBe(true);
  });
});

describe("contacts", () => {
  it("upserts by email: 201 created, then 200 updated with the same id", async () => {
    await start();
    const created = await call(
      s(),
      "POST",
      "/contacts",
      contactBody("Bob@Example.com", { firstName: "Bob", customProperties: { loyalty_points: 1 } }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toBe("application/json");
    expect(created.json).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      email: "bob@example.com",
      firstName: "Bob",
      status: "nonSubscribed",
      customProperties: { loyalty_points: 1 },
      createdAt: "2026-04-01T12:00:00Z",
    });
    const updated = await call(
      s(),
      "POST",
      "/contacts",
      contactBody("bob@example.com", { lastName: "Stone", tags: ["source: loyalty"] }),
    );
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({
      id: created.json?.id,
      firstName: "Bob",
      lastName: "Stone",
      tags: ["source: loyalty"],
    });
    expect(s().state.contacts).toHaveLength(1);
  });

  it("rejects unknown fields, a bad phone and a request without identifiers", async () => {
    await start();
    const unknown = await call(s(), "POST", "/contacts", contactBody("a@b.co", { points: 3 }));
    expect(fieldErrors(unknown)).toEqual([
      expect.objectContaining({ field: "points", code: "unknown_field" }),
    ]);
    const phone = await call(s(), "POST", "/contacts", {
      identifiers: [{ type: "phone", id: "0612345678" }],
    });
    expect(fieldErrors(phone)[0]).toMatchObject({ field: "identifiers.0.id" });
    const none = await call(s(), "POST", "/contacts", { firstName: "Nobody" });
    expect(fieldErrors(none)[0]).toMatchObject({ field: "identifiers", code: "required" });
  });

  it("PATCH merges customProperties, by email and by id; unknown contacts are 404", async () => {
    await start();
    const created = await call(
      s(),
      "POST",
      "/contacts",
      contactBody("cy@example.com", {
        customProperties: { loyalty_points: 10, loyalty_tier: "Silver" },
      }),
    );
    const patched = await call(s(), "PATCH", "/contacts?email=CY%40example.com", {
      customProperties: { loyalty_points: 20 },
    });
    expect(patched.status).toBe(200);
    expect(patched.json?.customProperties).toEqual({ loyalty_points: 20, loyalty_tier: "Silver" });
    const byId = await call(s(), "PATCH", `/contacts/${String(created.json?.id)}`, {
      customProperties: { loyalty_referral_url: "https://x.test/r/1" },
    });
    expect(byId.json?.customProperties).toEqual({
      loyalty_points: 20,
      loyalty_tier: "Silver",
      loyalty_referral_url: "https://x.test/r/1",
    });
    const got = await call(s(), "GET", `/contacts/${String(created.json?.id)}`);
    expect(got.json).toEqual(byId.json);

    expectProblem(await call(s(), "PATCH", "/contacts?email=nobody%40example.com", {}), 404);
    expectProblem(await call(s(), "GET", "/contacts/000000000000000000000000"), 404);
  });

  it("PATCH that would take another contact's identifier is 409", async () => {
    await start();
    await call(s(), "POST", "/contacts", contactBody("one@example.com"));
    await call(s(), "POST", "/contacts", contactBody("two@example.com"));
    const r = await call(s(), "PATCH", "/contacts?email=one%40example.com", {
      identifiers: [{ type: "email", id: "two@example.com" }],
    });
    expectProblem(r, 409);
  });

  it("lists contacts in the ListContactsResponse shape, filtered and paged", async () => {
    const clock = await start();
    for (const name of ["a", "b", "c"]) {
      await call(s(), "POST", "/contacts", contactBody(`${name}@example.com`));
      clock.advance(1_000);
    }
    const one = await call(s(), "GET", "/contacts?email=b%40example.com");
    expect(one.json).toMatchObject({
      contacts: [{ email: "b@example.com" }],
      paging: { hasMore: false, limit: 100, cursors: { after: null, before: null } },
    });
    const first = await call(s(), "GET", "/contacts?limit=2");
    expect((first.json?.contacts as { email: string }[]).map((c) => c.email)).toEqual([
      "c@example.com",
      "b@example.com",
    ]);
    const paging = first.json?.paging as { hasMore: boolean; cursors: { after: string } };
    expect(paging.hasMore).toBe(true);
    const next = await call(s(), "GET", `/contacts?limit=2&after=${paging.cursors.after}`);
    expect(next.json).toMatchObject({ contacts: [{ email: "a@example.com" }] });
    expect(fieldErrors(await call(s(), "GET", "/contacts?limit=251"))[0]).toMatchObject({
      field: "limit",
    });
    expect((await call(s(), "GET", "/contacts?tag=x&status=subscribed")).status).toBe(400);
  });
});

describe("rate limit and faults", () => {
  it("answers 429 with retryAfter (seconds until a slot frees) over the brand's sliding window", async () => {
    const clock = await start({ limit: { requests: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      expect((await call(s(), "GET", "/contacts")).status).toBe(200);
      clock.advance(10_000);
    }
    // The window is shared by every endpoint: a different operation is throttled too.
    const throttled = await call(s(), "POST", "/events", eventBody());
    expectProblem(throttled, 429);
    expect(throttled.json?.retryAfter).toBe(30);
    expect(throttled.headers.get("retry-after")).toBe("30");

    clock.advance(29_500);
    expect((await call(s(), "GET", "/contacts")).json?.retryAfter).toBe(1);
    clock.advance(500);
    expect((await call(s(), "POST", "/events", eventBody())).status).toBe(202);
    expect((await call(s(), "GET", "/contacts")).status).toBe(429);
    s().resetRateLimits();
    expect((await call(s(), "GET", "/contacts")).status).toBe(200);
  });

  it("failNext answers the next requests with the injected status, then recovers", async () => {
    await start();
    s().state.failNext(2, 503);
    expectProblem(await call(s(), "POST", "/events", eventBody()), 503);
    expectProblem(await call(s(), "POST", "/events", eventBody()), 503);
    expect((await call(s(), "POST", "/events", eventBody())).status).toBe(202);
    s().state.failNext(1, 429);
    const throttled = await call(s(), "GET", "/contacts");
    expect(throttled.json?.retryAfter).toBe(1);
    expect(s().state.events).toHaveLength(1);
  });

  it("an outage answers 503 to everything until lifted", async () => {
    await start();
    s().state.setOutage(true);
    expect((await call(s(), "GET", "/contacts")).status).toBe(503);
    expect((await call(s(), "POST", "/events", eventBody())).status).toBe(503);
    s().state.setOutage(false);
    expect((await call(s(), "POST", "/events", eventBody())).status).toBe(202);
  });

  it("a timeout fault never answers, so the client's own timeout fires", async () => {
    await start();
    s().state.failNext(1, "timeout");
    const abort = new AbortController();
    const pending = fetch(`${s().url}/events`, {
      method: "POST",
      headers: { Authorization: `Omnisend-API-Key ${API_KEY}`, "Omnisend-Version": "2026-03-15" },
      body: JSON.stringify(eventBody()),
      signal: abort.signal,
    }).catch((error: unknown) => error);
    // Abort (the client's timeout) as soon as the stand-in has taken the request.
    while (s().state.requests.length === 0) await new Promise((r) => setImmediate(r));
    abort.abort();
    expect(await pending).toMatchObject({ name: "AbortError" });
    expect(s().state.requests[0]?.status).toBe(0);
    expect((await call(s(), "POST", "/events", eventBody())).status).toBe(202);
  });

  it("reset() forgets contacts, events, requests and faults", async () => {
    await start({ revokedKeys: ["old-key"] });
    await call(s(), "POST", "/events", eventBody());
    s().state.revokeKey(API_KEY);
    s().state.failNext(3, 500);
    s().state.reset();
    expect(s().state.contacts).toHaveLength(0);
    expect(s().state.events).toHaveLength(0);
    expect(s().state.requests).toHaveLength(0);
    expect(s().state.isRevoked("old-key")).toBe(true);
    expect((await call(s(), "POST", "/events", eventBody())).status).toBe(202);
  });
});
