import { describe, expect, it } from "vitest";
import { EVENT_TYPES, eventDefinition, flowTriggers } from "./catalog";
import { FLOW_TRIGGER_FIELD_TYPES } from "./definition";
import type { FlowTriggerValueField } from "./definition";
import { EXAMPLE_PAYLOADS, EXAMPLE_SNAPSHOT, exampleLoyaltyEvent } from "./examples";
import { flowTriggerRequest } from "./flow";
import { createLoyaltyEvent, type AnyLoyaltyEvent } from "./loyalty-event";
import { minorToDecimal } from "./primitives";

// Shopify's Flow trigger rules (docs/event-catalog.md §2, shared shopify-platform.md §3) and the
// stability of what merchants' workflows are bound to.

/**
 * Handles are immutable once deployed: a renamed handle silently orphans every merchant workflow
 * built on the old one. Changing this list must be a deliberate, reviewed decision.
 */
const DEPLOYED_HANDLES = {
  "member.activated": "loyalty-member-activated",
  "member.account_registered": "loyalty-account-registered",
  "points.added": "loyalty-points-added",
  "points.subtracted": "loyalty-points-subtracted",
  "points.expiring": "loyalty-points-expiring",
  "points.expired": "loyalty-points-expired",
  "tier.updated": "loyalty-tier-updated",
  "reward.issued": "loyalty-reward-issued",
  "birth_month.captured": "loyalty-birth-month-captured",
  "birth_month.entered": "loyalty-birth-month-entered",
  "customer.merged": "loyalty-customer-merged",
  "reward.expiring": "loyalty-reward-expiring",
  "referral.accepted": "loyalty-referral-accepted",
  "referral.completed": "loyalty-referral-completed",
  "store_credit.credited": "loyalty-store-credit-credited",
  "reward.used": "loyalty-reward-used",
  "reward.expired": "loyalty-reward-expired",
  "referral.sent": "loyalty-referral-sent",
  "store_credit.debited": "loyalty-store-credit-debited",
  "store_credit.expiring": "loyalty-store-credit-expiring",
};

const triggers = flowTriggers();

const ENVELOPE = {
  id: "0b4f7f38-5e0e-4d43-9d0c-6f1f5b0f2a11",
  shopId: "5f0c1b7e-2d7a-4c3e-8f7e-3a9d2b1c4e5f",
  occurredAt: "2025-03-14T12:00:00Z",
};

function valueFields(fields: readonly unknown[]): FlowTriggerValueField[] {
  return fields.slice(1) as FlowTriggerValueField[];
}

describe("Flow triggers", () => {
  it("are exactly the events with a trigger, with the deployed handles", () => {
    expect(Object.fromEntries(triggers.map((t) => [t.eventType, t.trigger.handle]))).toEqual(
      DEPLOYED_HANDLES,
    );
    const withTrigger = EVENT_TYPES.filter((type) => eventDefinition(type).flowTrigger !== null);
    expect(triggers.map((t) => t.eventType)).toEqual(withTrigger);
  });

  it("have handles of ≤ 30 lowercase letters, digits and hyphens, all unique", () => {
    const handles = triggers.map((t) => t.trigger.handle);
    for (const handle of handles) {
      expect(handle.length, handle).toBeLessThanOrEqual(30);
      expect(handle).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    expect(new Set(handles).size).toBe(handles.length);
  });

  it("have unique names and one-sentence descriptions", () => {
    const names = triggers.map((t) => t.trigger.name);
    expect(new Set(names).size).toBe(names.length);
    for (const { trigger } of triggers) {
      expect(trigger.description).toMatch(/^[A-Z][^.]*\.$/);
    }
  });

  it.each(triggers)("$eventType: fields follow Flow's trigger rules", ({ trigger }) => {
    const [first, ...rest] = trigger.fields;
    expect(first).toEqual({ type: "customer_reference" });
    expect(rest.length).toBeGreaterThan(0);
    const keys = valueFields(trigger.fields).map((field) => field.key);
    for (const field of valueFields(trigger.fields)) {
      expect(field.key).toMatch(/^[a-zA-Z\s]*$/);
      expect(field.key.trim()).toBe(field.key);
      expect(field.key.length).toBeGreaterThan(0);
      expect(FLOW_TRIGGER_FIELD_TYPES).toContain(field.type);
      expect(field.type).not.toBe("number_integer");
      expect(field.description).toMatch(/^[A-Z].*\.$/);
    }
    // Unique even ignoring case, so no two keys differ only in capitalisation.
    expect(new Set(keys.map((key) => key.toLowerCase())).size).toBe(keys.length);
  });

  it.each(triggers)(
    "$eventType: the example's Flow payload has exactly the declared keys",
    (entry) => {
      const event = exampleLoyaltyEvent(entry.eventType, ENVELOPE);
      const request = flowTriggerRequest(event);
      if (request === null) throw new Error(`${entry.eventType} has a trigger but no request`);
      expect(request.handle).toBe(entry.trigger.handle);
      const payload = request.payload;
      const fields = valueFields(entry.trigger.fields);
      expect(Object.keys(payload).sort()).toEqual(
        ["customer_id", ...fields.map((field) => field.key)].sort(),
      );
      expect(payload.customer_id).toBe(7428301234567);
      for (const field of fields) {
        const value = payload[field.key];
        if (field.type === "number_decimal") expect(Number.isFinite(value), field.key).toBe(true);
        else if (field.type === "boolean") expect(typeof value, field.key).toBe("boolean");
        else expect(typeof value, field.key).toBe("string");
      }
      expect(JSON.stringify(payload).length).toBeLessThan(4096);
    },
  );
});

describe("Flow payload values", () => {
  const snapshot = EXAMPLE_SNAPSHOT;

  it("sends a null text value as an empty string, never omits it", () => {
    const trigger = eventDefinition("points.added").flowTrigger;
    const payload = trigger?.flowPayload(
      { ...EXAMPLE_PAYLOADS["points.added"], source: "manual", order_id: null, order_name: null },
      snapshot,
    );
    expect(payload).toEqual({
      customer_id: 7428301234567,
      Points: 50,
      Source: "manual",
      "Order ID": "",
      "Order name": "",
      Note: "",
      "Points balance": 1520,
    });
  });

  it("uses 0 for an unknown birth day and true for a first capture", () => {
    const payload = eventDefinition("birth_month.captured").flowTrigger?.flowPayload(
      { birth_month: 2, birth_day: null, previous_birth_month: null },
      snapshot,
    );
    expect(payload).toMatchObject({ "Birth month": 2, "Birth day": 0, "First time": true });
  });

  it("gives store credit amounts in major units, by the currency's exponent", () => {
    const payload = eventDefinition("store_credit.credited").flowTrigger?.flowPayload(
      EXAMPLE_PAYLOADS["store_credit.credited"],
      snapshot,
    );
    expect(payload).toMatchObject({ Amount: 10, Balance: 36.85, "Formatted balance": "$36.85" });
    expect(minorToDecimal(3685, "USD")).toBe(36.85);
    expect(minorToDecimal(500, "JPY")).toBe(500);
    expect(minorToDecimal(1234, "KWD")).toBe(1.234);
  });

  it("refuses a customer id Flow cannot receive as a JSON number", () => {
    const trigger = eventDefinition("member.account_registered").flowTrigger;
    expect(() =>
      trigger?.flowPayload(
        { welcome_bonus_points: 0 },
        { ...snapshot, customer_id: "123456789012345678901" },
      ),
    ).toThrow(RangeError);
  });

  it("gives every catalog event a trigger request about its customer", () => {
    for (const type of EVENT_TYPES) {
      const event = createLoyaltyEvent(type, {
        ...ENVELOPE,
        customerId: snapshot.customer_id,
        payload: EXAMPLE_PAYLOADS[type],
        snapshot,
      } as never);
      expect(flowTriggerRequest(event as AnyLoyaltyEvent)?.payload.customer_id, type).toBe(
        Number(snapshot.customer_id),
      );
    }
  });
});
