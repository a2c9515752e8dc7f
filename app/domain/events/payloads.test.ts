import { describe, expect, it } from "vitest";
import type { z } from "zod";
import type { LoyaltyEventType } from "./catalog";
import {
  EVENT_TYPES,
  eventDefinition,
  flowTriggers,
  isLoyaltyEventType,
  klaviyoMetrics,
} from "./catalog";
import { EXAMPLE_PAYLOADS, EXAMPLE_SNAPSHOT, exampleLoyaltyEvent } from "./examples";
import { klaviyoEventProperties, MEMBER_PROPERTY_PREFIX } from "./klaviyo";
import { createLoyaltyEvent, InvalidLoyaltyEventError, parseLoyaltyEvent } from "./loyalty-event";
import { MemberSnapshot } from "./member-snapshot";

const ENVELOPE = {
  id: "0b4f7f38-5e0e-4d43-9d0c-6f1f5b0f2a11",
  shopId: "5f0c1b7e-2d7a-4c3e-8f7e-3a9d2b1c4e5f",
  occurredAt: "2025-03-14T12:00:00Z",
};

/** Parses `payload` as `type` and returns the issues (empty when valid). */
function issuesOf(type: LoyaltyEventType, payload: unknown): z.core.$ZodIssue[] {
  const result = eventDefinition(type).payload.safeParse(payload);
  return result.success ? [] : result.error.issues;
}

function paths(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => issue.path.join("."));
}

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

describe("catalog lookups", () => {
  it("has 20 event types, each with a unique Klaviyo metric and a Flow trigger", () => {
    expect(EVENT_TYPES).toHaveLength(20);
    const metrics = klaviyoMetrics();
    expect(metrics.map((m) => m.eventType)).toEqual([...EVENT_TYPES]);
    expect(new Set(metrics.map((m) => m.metric)).size).toBe(EVENT_TYPES.length);
    expect(flowTriggers()).toHaveLength(20);
  });

  it("recognises only its own types", () => {
    expect(isLoyaltyEventType("points.added")).toBe(true);
    expect(isLoyaltyEventType("points.add")).toBe(false);
    expect(isLoyaltyEventType("toString")).toBe(false);
  });

  it("keys each definition by its own type", () => {
    for (const type of EVENT_TYPES) expect(eventDefinition(type).type).toBe(type);
  });
});

describe("payload schemas", () => {
  it.each(EVENT_TYPES)("%s: keys are snake_case, flat and never collide with member_*", (type) => {
    const shape = eventDefinition(type).payload.shape;
    for (const key of Object.keys(shape)) {
      expect(key).toMatch(SNAKE_CASE);
      expect(key.startsWith(MEMBER_PROPERTY_PREFIX), key).toBe(false);
    }
  });

  it.each(EVENT_TYPES)("%s: the example payload parses unchanged", (type) => {
    const example = EXAMPLE_PAYLOADS[type];
    expect(eventDefinition(type).payload.parse(example)).toEqual(example);
    // Every key is present in the example (nulls included), so the Klaviyo bootstrap shows them all.
    expect(Object.keys(example).sort()).toEqual(
      Object.keys(eventDefinition(type).payload.shape).sort(),
    );
  });

  it.each(EVENT_TYPES)("%s: rejects an unknown key (schemas are strict)", (type) => {
    const issues = issuesOf(type, { ...EXAMPLE_PAYLOADS[type], surprise: 1 });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["surprise"], path: [] });
  });

  it("rejects a source outside the catalog's enum, at its path", () => {
    const issues = issuesOf("points.added", {
      ...EXAMPLE_PAYLOADS["points.added"],
      source: "gift",
    });
    expect(paths(issues)).toEqual(["source"]);
    expect(
      paths(issuesOf("tier.updated", { ...EXAMPLE_PAYLOADS["tier.updated"], change: "up" })),
    ).toEqual(["change"]);
    const reward = { ...EXAMPLE_PAYLOADS["reward.issued"], reward_type: "voucher" };
    expect(paths(issuesOf("reward.issued", reward))).toEqual(["reward_type"]);
  });

  it("rejects zero, negative and fractional point amounts", () => {
    for (const points of [0, -5, 1.5]) {
      const issues = issuesOf("points.added", { ...EXAMPLE_PAYLOADS["points.added"], points });
      expect(paths(issues), String(points)).toEqual(["points"]);
    }
    const expiring = { ...EXAMPLE_PAYLOADS["points.expiring"], points_expiring: -1 };
    expect(paths(issuesOf("points.expiring", expiring))).toEqual(["points_expiring"]);
  });

  it("requires an order id for purchase points and order refunds", () => {
    const purchase = { ...EXAMPLE_PAYLOADS["points.added"], order_id: null };
    expect(paths(issuesOf("points.added", purchase))).toEqual(["order_id"]);
    const refund = { ...EXAMPLE_PAYLOADS["points.subtracted"], source: "order_refund" };
    expect(paths(issuesOf("points.subtracted", refund))).toEqual(["order_id"]);
  });

  it("keeps money in integer minor units with a currency", () => {
    const fractional = { ...EXAMPLE_PAYLOADS["store_credit.credited"], amount_minor: 10.5 };
    expect(paths(issuesOf("store_credit.credited", fractional))).toEqual(["amount_minor"]);
    const lowercase = { ...EXAMPLE_PAYLOADS["store_credit.credited"], currency: "usd" };
    expect(paths(issuesOf("store_credit.credited", lowercase))).toEqual(["currency"]);
    const noCurrency = { ...EXAMPLE_PAYLOADS["reward.issued"], currency: null };
    expect(paths(issuesOf("reward.issued", noCurrency))).toEqual(["currency"]);
  });

  it("distinguishes date-times (*_at) from calendar dates (*_date)", () => {
    const dateOnly = { ...EXAMPLE_PAYLOADS["reward.issued"], expires_at: "2025-06-30" };
    expect(paths(issuesOf("reward.issued", dateOnly))).toEqual(["expires_at"]);
    const dateTime = {
      ...EXAMPLE_PAYLOADS["points.expiring"],
      expiry_date: "2025-04-30T00:00:00Z",
    };
    expect(paths(issuesOf("points.expiring", dateTime))).toEqual(["expiry_date"]);
  });

  it("rejects a birthday that does not exist, accepts 29 February", () => {
    const feb30 = { birth_month: 2, birth_day: 30, previous_birth_month: null };
    expect(paths(issuesOf("birth_month.captured", feb30))).toEqual(["birth_day"]);
    expect(issuesOf("birth_month.captured", { ...feb30, birth_day: 29 })).toEqual([]);
  });
});

describe("MemberSnapshot", () => {
  it("accepts the example and an unknown-everything member", () => {
    expect(MemberSnapshot.parse(EXAMPLE_SNAPSHOT)).toEqual(EXAMPLE_SNAPSHOT);
    const sparse = {
      ...EXAMPLE_SNAPSHOT,
      email: null,
      phone: null,
      first_name: null,
      last_name: null,
      store_credit_balance_minor: null,
      store_credit_currency: null,
      vip_tier: null,
    };
    expect(MemberSnapshot.parse(sparse)).toEqual(sparse);
  });

  it("rejects a non-numeric customer id and a balance without currency, reporting both", () => {
    const result = MemberSnapshot.safeParse({
      ...EXAMPLE_SNAPSHOT,
      customer_id: "gid://shopify/Customer/1",
      store_credit_currency: null,
    });
    expect(paths(result.error?.issues ?? [])).toEqual(["customer_id", "store_credit_currency"]);
  });
});

describe("createLoyaltyEvent", () => {
  const input = {
    ...ENVELOPE,
    customerId: EXAMPLE_SNAPSHOT.customer_id,
    payload: EXAMPLE_PAYLOADS["points.added"],
    snapshot: EXAMPLE_SNAPSHOT,
  };

  it("builds a typed event with the given id", () => {
    const event = createLoyaltyEvent("points.added", input);
    expect(event).toEqual({ ...input, type: "points.added" });
    expect(event.payload).not.toBe(input.payload);
    // Typed payload: a compile error here would mean PayloadOf<T> lost its precision.
    const source: (typeof event.payload)["source"] = event.payload.source;
    expect(source).toBe("purchase");
  });

  it("throws InvalidLoyaltyEventError with zod's issues, paths from the event root", () => {
    const bad = { ...input, payload: { ...input.payload, source: "gift" } };
    let error: unknown;
    try {
      createLoyaltyEvent("points.added", bad as unknown as typeof input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidLoyaltyEventError);
    if (!(error instanceof InvalidLoyaltyEventError)) return;
    expect(error.eventType).toBe("points.added");
    expect(paths([...error.issues])).toEqual(["payload.source"]);
    expect(error.message).toMatch(/^Invalid loyalty event points\.added: payload\.source: /);
  });

  it("checks the envelope: uuid id, matching customer, ISO time", () => {
    const attempt = (override: object) => () =>
      createLoyaltyEvent("points.added", { ...input, ...override });
    expect(attempt({ id: "evt-1" })).toThrow(/: id: /);
    expect(attempt({ customerId: "1" })).toThrow(/snapshot\.customer_id: /);
    expect(attempt({ occurredAt: "yesterday" })).toThrow(/occurredAt: /);
  });

  it("keeps personal data out of the error message", () => {
    const snapshot = { ...EXAMPLE_SNAPSHOT, email: "not-an-email jane@secret" };
    expect(() => createLoyaltyEvent("points.added", { ...input, snapshot })).toThrow(
      /^(?!.*secret).*snapshot\.email/,
    );
  });
});

describe("parseLoyaltyEvent", () => {
  it.each(EVENT_TYPES)("%s: round-trips through JSON", (type) => {
    const event = exampleLoyaltyEvent(type, ENVELOPE);
    expect(parseLoyaltyEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it("rejects an unknown type and a payload of another type", () => {
    expect(() => parseLoyaltyEvent({ ...ENVELOPE, type: "points.gifted" })).toThrow(
      InvalidLoyaltyEventError,
    );
    const mixed = { ...exampleLoyaltyEvent("points.added", ENVELOPE), type: "points.expired" };
    expect(() => parseLoyaltyEvent(mixed)).toThrow(/points\.expired: payload/);
  });
});

describe("klaviyoEventProperties", () => {
  it.each(EVENT_TYPES)("%s: flat snake_case scalars, payload keys then member_* keys", (type) => {
    const properties = klaviyoEventProperties(type, EXAMPLE_PAYLOADS[type], EXAMPLE_SNAPSHOT);
    const payloadKeys = Object.keys(eventDefinition(type).payload.shape);
    const memberKeys = Object.keys(MemberSnapshot.shape).map(
      (k) => `${MEMBER_PROPERTY_PREFIX}${k}`,
    );
    expect(Object.keys(properties)).toEqual([...payloadKeys, ...memberKeys]);
    for (const [key, value] of Object.entries(properties)) {
      expect(key).toMatch(SNAKE_CASE);
      expect(value === null || ["string", "number", "boolean"].includes(typeof value)).toBe(true);
    }
  });

  it("carries the member snapshot under member_*", () => {
    const properties = klaviyoEventProperties(
      "points.added",
      EXAMPLE_PAYLOADS["points.added"],
      EXAMPLE_SNAPSHOT,
    );
    expect(properties).toMatchObject({
      points: 50,
      source: "purchase",
      note: null,
      member_customer_id: "7428301234567",
      member_points_balance: 1520,
      member_vip_tier: "Gold",
      member_store_credit_balance_minor: 3685,
      member_store_credit_currency: "USD",
    });
  });
});
