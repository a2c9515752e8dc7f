import { describe, expect, it } from "vitest";
import {
  bulkEventsBody,
  call,
  errorsOf,
  eventBody,
  profileBody,
  resource,
  standInPerTest,
} from "./test-helpers";

const { start, s } = standInPerTest();

describe("Create Event", () => {
  it("answers 202 with no body and stores the event, its metric and its profile", async () => {
    await start();
    const r = await call(
      s(),
      "POST",
      "/api/events",
      eventBody({ uniqueId: "ledger-1", value: 12.5 }),
    );
    expect(r.status).toBe(202);
    expect(r.text).toBe("");
    expect(r.headers.get("ratelimit-limit")).toBe("350");
    expect(r.headers.get("ratelimit-remaining")).toBe("349");
    expect(r.headers.get("ratelimit-reset")).toBe("1");

    const { state } = s();
    const profile = state.findProfile({ email: "ada@example.com" });
    expect(profile).toBeDefined();
    expect(state.metricByName("Loyalty Points Earned")?.integration.name).toBe("API");
    expect(state.events).toHaveLength(1);
    expect(state.events[0]).toMatchObject({
      profile_id: profile?.id,
      metric_name: "Loyalty Points Earned",
      unique_id: "ledger-1",
      value: 12.5,
      properties: { points_earned: 50, reason: "order" },
      time: "2026-08-03T12:00:00+00:00",
    });
    expect(state.requests.at(-1)).toMatchObject({
      method: "POST",
      path: "/api/events",
      status: 202,
      auth: "api-key",
      operation: "create_event",
    });
  });

  it("keeps only the first event for a repeated unique_id on the same profile and metric", async () => {
    const clock = await start();
    const first = eventBody({ uniqueId: "ledger-7", properties: { points_earned: 10 } });
    const retry = eventBody({ uniqueId: "ledger-7", properties: { points_earned: 999 } });
    expect((await call(s(), "POST", "/api/events", first)).status).toBe(202);
    clock.advance(5_000);
    expect((await call(s(), "POST", "/api/events", retry)).status).toBe(202);
    const other = eventBody({ uniqueId: "ledger-7", metric: "Loyalty Points Redeemed" });
    expect((await call(s(), "POST", "/api/events", other)).status).toBe(202);
    const bob = eventBody({ uniqueId: "ledger-7", email: "bob@example.com" });
    expect((await call(s(), "POST", "/api/events", bob)).status).toBe(202);

    const earned = s().state.eventsForMetric("Loyalty Points Earned");
    expect(earned).toHaveLength(2); // Ada once (first payload wins) and Bob once
    expect(earned[0]?.properties).toEqual({ points_earned: 10 });
    expect(s().state.eventsForMetric("Loyalty Points Redeemed")).toHaveLength(1);
  });

  it("defaults unique_id to the time to the second, so one event per profile and second", async () => {
    const clock = await start();
    await call(s(), "POST", "/api/events", eventBody());
    clock.advance(300);
    await call(s(), "POST", "/api/events", eventBody());
    clock.advance(1_000);
    await call(s(), "POST", "/api/events", eventBody());
    expect(s().state.events.map((e) => e.unique_id)).toEqual([
      "2026-08-03T12:00:00+00:00",
      "2026-08-03T12:00:01+00:00",
    ]);
  });
});

describe("Bulk Create Events", () => {
  it("rejects the whole batch when a unique_id repeats for the same profile and metric", async () => {
    await start();
    const body = bulkEventsBody([
      { email: "ada@example.com", events: [{ uniqueId: "a" }, { uniqueId: "b" }] },
      { email: "bob@example.com", events: [{ uniqueId: "a" }] },
      // Same person as the first entry (emails match case-insensitively), same metric and id.
      { email: "ADA@example.com", events: [{ uniqueId: "a" }] },
    ]);
    const r = await call(s(), "POST", "/api/event-bulk-create-jobs", body);
    expect(r.status).toBe(400);
    expect(errorsOf(r)).toHaveLength(1);
    expect(errorsOf(r)[0]?.source?.pointer).toBe(
      "/data/attributes/events-bulk-create/data/2/attributes/events/data/0/attributes/unique_id",
    );
    const { state } = s();
    expect(state.events).toHaveLength(0);
    expect(state.profiles.size).toBe(0);
    expect(state.metrics.size).toBe(0);
    expect(state.eventBulkJobs).toHaveLength(0);
  });

  it("accepts a batch whose repeated unique_ids differ in profile or metric", async () => {
    await start();
    const body = bulkEventsBody([
      { email: "ada@example.com", events: [{ uniqueId: "a" }, { uniqueId: "a", metric: "Other" }] },
      { email: "bob@example.com", events: [{ uniqueId: "a" }] },
    ]);
    const r = await call(s(), "POST", "/api/event-bulk-create-jobs", body);
    expect(r.status).toBe(202);
    expect(r.text).toBe("");
    expect(s().state.events).toHaveLength(3);
    expect(s().state.profiles.size).toBe(2);
  });

  it("rejects more than 1,000 events in one request", async () => {
    await start();
    const events = Array.from({ length: 1001 }, (_, i) => ({ uniqueId: `e${i}` }));
    const r = await call(
      s(),
      "POST",
      "/api/event-bulk-create-jobs",
      bulkEventsBody([{ email: "a@b.co", events }]),
    );
    expect(r.status).toBe(400);
    expect(errorsOf(r)[0]?.source?.pointer).toBe("/data/attributes/events-bulk-create/data");
    expect(s().state.events).toHaveLength(0);
  });
});

describe("Create or Update Profile", () => {
  it("creates with 201, updates with 200, clears null properties and keeps omitted ones", async () => {
    await start();
    const created = await call(
      s(),
      "POST",
      "/api/profile-import",
      profileBody({
        email: "ada@example.com",
        first_name: "Ada",
        properties: {
          loyalty_points_balance: 1250,
          loyalty_tier: "Gold",
          referral_url: "https://x.test/r",
        },
      }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toBe("application/vnd.api+json");
    const id = resource(created).id;
    expect(id).toMatch(/^[0-9A-Z]{26}$/);

    const updated = await call(
      s(),
      "POST",
      "/api/profile-import",
      profileBody({
        email: "ada@example.com",
        last_name: "Lovelace",
        properties: { loyalty_tier: null, loyalty_points_balance: 1300 },
      }),
    );
    expect(updated.status).toBe(200);
    expect(resource(updated)).toMatchObject({
      type: "profile",
      id,
      attributes: {
        email: "ada@example.com",
        first_name: "Ada",
        last_name: "Lovelace",
        properties: { loyalty_points_balance: 1300, referral_url: "https://x.test/r" },
      },
    });
    expect(resource(updated).attributes.properties).not.toHaveProperty("loyalty_tier");

    const cleared = await call(
      s(),
      "POST",
      "/api/profile-import",
      profileBody({ first_name: null }, id),
    );
    expect(cleared.status).toBe(200);
    expect(s().state.profiles.get(id)).toMatchObject({ first_name: null, last_name: "Lovelace" });
    expect(s().state.profiles.size).toBe(1);
  });

  it("answers 409 when the identifiers belong to two different profiles", async () => {
    await start();
    await call(s(), "POST", "/api/profile-import", profileBody({ email: "ada@example.com" }));
    await call(s(), "POST", "/api/profile-import", profileBody({ external_id: "shopify:2" }));
    const r = await call(
      s(),
      "POST",
      "/api/profile-import",
      profileBody({ email: "ada@example.com", external_id: "shopify:2" }),
    );
    expect(r.status).toBe(409);
    expect(errorsOf(r)[0]?.code).toBe("duplicate_profile");
  });
});

describe("authentication and headers", () => {
  it("answers 401 without a key or with a malformed key, and 400 without a revision", async () => {
    await start();
    const noKey = await call(s(), "POST", "/api/events", eventBody(), { Authorization: undefined });
    expect(noKey.status).toBe(401);
    expect(noKey.json).toMatchObject({ errors: [{ status: 401, code: "not_authenticated" }] });
    const badKey = await call(s(), "GET", "/api/accounts", undefined, {
      Authorization: "Klaviyo-API-Key nope",
    });
    expect(badKey.status).toBe(401);
    const oauth = await call(s(), "GET", "/api/accounts", undefined, {
      Authorization: "Bearer tok_123",
    });
    expect(oauth.status).toBe(200);
    const noRevision = await call(s(), "GET", "/api/accounts", undefined, { revision: undefined });
    expect(noRevision.status).toBe(400);
    expect(s().state.events).toHaveLength(0);
    expect(s().state.requests.map((r) => [r.status, r.auth])).toEqual([
      [401, "none"],
      [401, "invalid"],
      [200, "oauth"],
      [400, "api-key"],
    ]);
  });
});
