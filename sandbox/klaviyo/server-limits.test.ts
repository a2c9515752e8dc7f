import { describe, expect, it } from "vitest";
import {
  PRIVATE_KEY,
  bulkEventsBody,
  call,
  errorsOf,
  eventBody,
  profileBody,
  standInPerTest,
} from "./test-helpers";

const { start, s } = standInPerTest();

function withAttributes(patch: Record<string, unknown>) {
  const body = eventBody({ uniqueId: "x" });
  return { data: { ...body.data, attributes: { ...body.data.attributes, ...patch } } };
}

describe("request bodies are validated against the OpenAPI contract", () => {
  const cases: [string, unknown, string][] = [
    ["value is not a number", withAttributes({ value: "12.50" }), "/data/attributes/value"],
    ["camelCase key on the wire", withAttributes({ uniqueId: "x" }), "/data/attributes/uniqueId"],
    ["required metric missing", withAttributes({ metric: undefined }), "/data/attributes/metric"],
    ["wrong resource type", { data: { ...eventBody().data, type: "events" } }, "/data/type"],
    [
      "properties not an object",
      withAttributes({ properties: [1] }),
      "/data/attributes/properties",
    ],
    ["time not a datetime", withAttributes({ time: "yesterday" }), "/data/attributes/time"],
    [
      "nested profile field of the wrong type",
      withAttributes({ profile: { data: { type: "profile", attributes: { email: 42 } } } }),
      "/data/attributes/profile/data/attributes/email",
    ],
  ];
  it.each(cases)("400 with source.pointer when %s", async (_name, body, pointer) => {
    await start();
    const r = await call(s(), "POST", "/api/events", body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      errors: [{ status: 400, code: "invalid", source: { pointer } }],
    });
    const error = errorsOf(r)[0] as Record<string, unknown>;
    expect(Object.keys(error).sort()).toEqual([
      "code",
      "detail",
      "id",
      "links",
      "meta",
      "source",
      "status",
      "title",
    ]);
    expect(s().state.events).toHaveLength(0);
  });

  it("rejects a body over the endpoint's payload limit with 413", async () => {
    await start();
    const big = profileBody({ email: "a@b.co", properties: { blob: "x".repeat(101 * 1024) } });
    const r = await call(s(), "POST", "/api/profile-import", big);
    expect(r.status).toBe(413);
    expect(s().state.profiles.size).toBe(0);
  });

  it("rejects unparseable JSON with 400", async () => {
    await start();
    const r = await call(s(), "POST", "/api/profile-import", "{not json");
    expect(r.status).toBe(400);
    expect(errorsOf(r)[0]?.code).toBe("parse_error");
  });

  it("rejects an invalid email and a profile with no identifier", async () => {
    await start();
    const badEmail = await call(
      s(),
      "POST",
      "/api/profile-import",
      profileBody({ email: "not-an-email" }),
    );
    expect(errorsOf(badEmail)[0]?.source?.pointer).toBe("/data/attributes/email");
    const anonymous = await call(
      s(),
      "POST",
      "/api/profile-import",
      profileBody({ first_name: "Ada" }),
    );
    expect(anonymous.status).toBe(400);
    expect(errorsOf(anonymous)[0]?.source?.pointer).toBe("/data/attributes");
  });
});

describe("a malformed item deep inside a full bulk request", () => {
  it("fails a 1,000-event Bulk Create Events request at the last event, storing nothing", async () => {
    await start();
    const body = bulkEventsBody(
      Array.from({ length: 1000 }, (_, i) => ({
        email: `member${i}@example.com`,
        events: [{ uniqueId: `e${i}`, time: "2026-08-03T11:00:00Z" }],
      })),
    );
    const last = body.data.attributes["events-bulk-create"].data[999]!.attributes.events.data[0]!;
    last.attributes.value = "12.50";
    const r = await call(s(), "POST", "/api/event-bulk-create-jobs", body);
    expect(r.status).toBe(400);
    expect(errorsOf(r).map((e) => [e.source?.pointer, e.detail])).toEqual([
      [
        "/data/attributes/events-bulk-create/data/999/attributes/events/data/0/attributes/value",
        "Expected number, got string.",
      ],
    ]);
    expect(s().state.events).toHaveLength(0);
    expect(s().state.profiles.size).toBe(0);
  });

  it("fails a 10,000-profile Bulk Import Profiles job at one profile, creating no job", async () => {
    await start();
    const profiles = Array.from(
      { length: 10_000 },
      (_, i) => profileBody({ email: `member${i}@example.com`, properties: { n: i } }).data,
    );
    (profiles[9_876]!.attributes as Record<string, unknown>).location = { latitude: true };
    const r = await call(s(), "POST", "/api/profile-bulk-import-jobs", {
      data: { type: "profile-bulk-import-job", attributes: { profiles: { data: profiles } } },
    });
    expect(r.status).toBe(400);
    expect(errorsOf(r).map((e) => [e.source?.pointer, e.detail])).toEqual([
      [
        "/data/attributes/profiles/data/9876/attributes/location/latitude",
        "Expected string or number, got boolean.",
      ],
    ]);
    expect(s().state.profileImportJobs.size).toBe(0);
  });
});

describe("documented event limits", () => {
  const tooMany = Object.fromEntries(Array.from({ length: 401 }, (_, i) => [`p${i}`, i]));
  const cases: [string, Record<string, unknown>, string][] = [
    ["more than 400 properties", { properties: tooMany }, "/data/attributes/properties"],
    [
      "a metric name of 128 characters",
      { metric: { data: { type: "metric", attributes: { name: "m".repeat(128) } } } },
      "/data/attributes/metric/data/attributes/name",
    ],
    ["a time in 1990's first instant", { time: "1990-01-01T00:00:00Z" }, "/data/attributes/time"],
    ["a time more than a year ahead", { time: "2027-08-04T12:00:00Z" }, "/data/attributes/time"],
  ];
  it.each(cases)("400 for %s", async (_name, patch, pointer) => {
    await start();
    const r = await call(s(), "POST", "/api/events", withAttributes(patch));
    expect(r.status).toBe(400);
    expect(errorsOf(r)[0]?.source?.pointer).toBe(pointer);
  });

  it("accepts the boundaries: 400 properties, 127 characters, a time just inside a year", async () => {
    await start();
    const props = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`p${i}`, i]));
    const name = "m".repeat(127);
    const body = withAttributes({
      properties: props,
      metric: { data: { type: "metric", attributes: { name } } },
      time: "2027-08-03T12:00:00Z",
    });
    expect((await call(s(), "POST", "/api/events", body)).status).toBe(202);
  });
});

describe("rate limits", () => {
  it("throttles over the burst limit with 429 + Retry-After and recovers in the next second", async () => {
    const clock = await start({ limits: { create_event: { burst: 2 } } });
    for (const id of ["a", "b"]) {
      const ok = await call(s(), "POST", "/api/events", eventBody({ uniqueId: id }));
      expect(ok.status).toBe(202);
    }
    const throttled = await call(s(), "POST", "/api/events", eventBody({ uniqueId: "c" }));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("1");
    expect(throttled.headers.get("ratelimit-limit")).toBeNull();
    expect(throttled.headers.get("ratelimit-remaining")).toBeNull();
    expect(throttled.json).toMatchObject({
      errors: [
        {
          status: 429,
          code: "throttled",
          title: "Request was throttled.",
          detail: "Request was throttled. Expected available in 1 second.",
        },
      ],
    });
    // Other endpoints have their own quota.
    expect((await call(s(), "GET", "/api/accounts")).status).toBe(200);

    clock.advance(500); // now exactly at the next one-second boundary
    const recovered = await call(s(), "POST", "/api/events", eventBody({ uniqueId: "c" }));
    expect(recovered.status).toBe(202);
    expect(s().state.events.map((e) => e.unique_id)).toEqual(["a", "b", "c"]);
  });

  it("throttles over the steady limit until the minute ends", async () => {
    const clock = await start({ limits: { bulk_import_profiles: { burst: 100, steady: 3 } } });
    const body = {
      data: {
        type: "profile-bulk-import-job",
        attributes: { profiles: { data: [profileBody({ email: "a@b.co" }).data] } },
      },
    };
    for (let i = 0; i < 3; i++) {
      expect((await call(s(), "POST", "/api/profile-bulk-import-jobs", body)).status).toBe(202);
      clock.advance(1_000);
    }
    const throttled = await call(s(), "POST", "/api/profile-bulk-import-jobs", body);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("57"); // 12:00:03.5 → 12:01:00
    expect(errorsOf(throttled)[0]?.detail).toBe(
      "Request was throttled. Expected available in 57 seconds.",
    );
    clock.advance(56_500);
    expect((await call(s(), "POST", "/api/profile-bulk-import-jobs", body)).status).toBe(202);
  });

  it("gives an OAuth app its own quota, separate from the private-key quota", async () => {
    await start({ limits: { create_event: { burst: 1 } } });
    expect((await call(s(), "POST", "/api/events", eventBody({ uniqueId: "a" }))).status).toBe(202);
    expect((await call(s(), "POST", "/api/events", eventBody({ uniqueId: "b" }))).status).toBe(429);
    const oauth = { Authorization: "Bearer app-access-token" };
    expect(
      (await call(s(), "POST", "/api/events", eventBody({ uniqueId: "b" }), oauth)).status,
    ).toBe(202);
  });

  it("uses the published limits by default", async () => {
    await start();
    expect(s().limits).toMatchObject({
      create_event: { burst: 350, steady: 3500 },
      bulk_create_events: { burst: 10, steady: 150 },
      create_or_update_profile: { burst: 75, steady: 750 },
      bulk_import_profiles: { burst: 10, steady: 150 },
      get_metrics: { burst: 10, steady: 150 },
      bulk_subscribe_profiles: { burst: 75, steady: 750 },
    });
  });
});

describe("fault injection and unknown routes", () => {
  it("failNext fails the next requests with the given status, then recovers", async () => {
    await start();
    s().state.failNext(2, 503);
    expect((await call(s(), "POST", "/api/events", eventBody())).status).toBe(503);
    const second = await call(s(), "POST", "/api/events", eventBody());
    expect(second.status).toBe(503);
    expect(second.json).toMatchObject({ errors: [{ status: 503 }] });
    expect((await call(s(), "POST", "/api/events", eventBody())).status).toBe(202);
    expect(s().state.events).toHaveLength(1);
  });

  it("an injected 429 looks like a real throttle", async () => {
    await start();
    s().state.failNext(1, 429);
    const r = await call(s(), "GET", "/api/accounts");
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("1");
    expect(errorsOf(r)[0]?.code).toBe("throttled");
  });

  it("an outage answers 503 to everything until it is lifted", async () => {
    await start();
    s().state.setOutage(true);
    expect((await call(s(), "GET", "/api/accounts")).status).toBe(503);
    expect(
      (await call(s(), "POST", "/api/profile-import", profileBody({ email: "a@b.co" }))).status,
    ).toBe(503);
    s().state.setOutage(false);
    expect((await call(s(), "GET", "/api/accounts")).status).toBe(200);
  });

  it("an injected timeout accepts the request and never answers", async () => {
    await start();
    s().state.failNext(1, "timeout");
    const attempt = fetch(`${s().url}/api/accounts`, { signal: AbortSignal.timeout(200) });
    await expect(attempt).rejects.toThrow(/timeout|abort/i);
    expect((await call(s(), "GET", "/api/accounts")).status).toBe(200);
  });

  it("a key without an operation's scope gets 403 naming the missing scope", async () => {
    await start({ keyScopes: { [PRIVATE_KEY]: ["accounts:read", "profiles:write"] } });
    expect((await call(s(), "GET", "/api/accounts")).status).toBe(200);
    const denied = await call(s(), "POST", "/api/events", eventBody());
    expect(denied.status).toBe(403);
    expect(errorsOf(denied)[0]).toMatchObject({ code: "permission_denied" });
    expect(errorsOf(denied)[0]?.detail).toContain("events:write");
    expect(s().state.events).toHaveLength(0);
  });

  it("answers 404 with a JSON:API error for unknown and unimplemented paths", async () => {
    await start();
    const unknown = await call(s(), "GET", "/api/not-a-thing");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ errors: [{ status: 404, code: "not_found" }] });
    const unimplemented = await call(s(), "GET", "/api/events");
    expect(unimplemented.status).toBe(404);
    expect(errorsOf(unimplemented)[0]?.detail).toContain("get_events");
  });
});
