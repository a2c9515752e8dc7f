import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exampleLoyaltyEvent, EVENT_TYPES } from "../events";
import { profileProperties, profilePropertyNames, sampleProfileFacts } from "../klaviyo";

const SAMPLE_PROFILE_FACTS = sampleProfileFacts(new Date("2026-12-07T12:00:00Z"), "EUR");
import { contactUpdate, omnisendCustomProperties, omnisendIdentity } from "./contact";
import { OMNISEND_ORIGIN, omnisendEvent, omnisendEventName } from "./event";

const SHOP = { currency: "EUR", timeZone: "Europe/Paris", locale: "en-US" };
const BASE = {
  id: "0b7c6f0e-9d6a-4b1e-8f5e-2a4d3c1b0a99",
  shopId: "5d0c8a4e-1f2b-4c3d-9e8f-7a6b5c4d3e2f",
  occurredAt: "2026-11-22T10:00:00.000Z",
};

describe("omnisendIdentity", () => {
  it("uses the email, else an E.164 phone, else nothing (Omnisend has no external id)", () => {
    expect(omnisendIdentity({ email: "a@b.co", phone: "+15555550100" })).toEqual({
      email: "a@b.co",
    });
    expect(omnisendIdentity({ email: null, phone: "+447700900123" })).toEqual({
      phone: "+447700900123",
    });
    expect(omnisendIdentity({ email: null, phone: "555-0100" })).toBeNull();
    expect(omnisendIdentity({ email: null, phone: null })).toBeNull();
  });
});

describe("omnisendCustomProperties", () => {
  it("keeps every property Klaviyo gets, under the same names, when all have values", () => {
    const full = profileProperties(
      {
        ...SAMPLE_PROFILE_FACTS,
        tierExpiresAt: new Date("2027-03-01T12:00:00Z"),
        tierLockedUntil: new Date("2027-01-01T12:00:00Z"),
        pointsExpiry: { expiresOn: { year: 2027, month: 2, day: 1 }, points: 100 },
        referralCode: "JANE10",
        referralUrl: "https://shop.example/?ref=JANE10",
        lastRedeemedAt: new Date("2026-10-01T12:00:00Z"),
        storeCredit: { balanceMinor: 1250, currency: "EUR" },
      },
      SHOP,
    );
    const custom = omnisendCustomProperties(full, "loyalty_");
    expect(Object.keys(custom).sort()).toEqual(profilePropertyNames().sort());
    expect(custom.loyalty_points_balance).toBe(1250);
    expect(custom.store_credit_formatted_balance).toBe("€12.50");
    // Omnisend holds lists of scalars, not objects: each ready reward is one line of text.
    expect(custom.loyalty_reward_codes).toEqual(["SAMPLE-5OFF-7QX2", "SAMPLE-FREESHIP"]);
    expect(custom.loyalty_rewards_ready).toEqual([
      expect.stringMatching(/^SAMPLE-5OFF-7QX2: €5\.00 off, until \d{4}-\d{2}-\d{2}$/),
      "SAMPLE-FREESHIP: Free shipping",
    ]);
  });

  it("sends a text property that went away as an empty text, and leaves out a number or date", () => {
    const sparse = profileProperties(
      {
        ...SAMPLE_PROFILE_FACTS,
        tierName: null,
        referralCode: null,
        pointsExpiry: null,
        storeCredit: null,
      },
      SHOP,
    );
    const custom = omnisendCustomProperties(sparse, "loyalty_");
    expect(custom.loyalty_vip_tier).toBe("");
    expect(custom.loyalty_referral_code).toBe("");
    expect(custom.store_credit_currency).toBe("");
    expect(custom).not.toHaveProperty("loyalty_points_expiry_date");
    expect(custom).not.toHaveProperty("store_credit_balance");
    expect(Object.values(custom).every((v) => v !== null)).toBe(true);
  });

  it("only ever produces names Omnisend accepts, whatever the facts", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 10 ** 7 }), (a, b, n) => {
        const props = profileProperties(
          {
            ...SAMPLE_PROFILE_FACTS,
            pointsBalance: n,
            tierName: a ? "Gold" : null,
            storeCredit: b ? { balanceMinor: n, currency: "JPY" } : null,
          },
          SHOP,
        );
        const custom = omnisendCustomProperties(props, "loyalty_");
        return Object.keys(custom).every((name) => /^[A-Za-z0-9_]{1,128}$/.test(name));
      }),
    );
  });
});

describe("contactUpdate", () => {
  it("never asks Omnisend to send its welcome message (consent is Shopify's, not ours)", () => {
    expect(contactUpdate({ phone: "+15555550100" }, { loyalty_member: true })).toEqual({
      identifiers: [{ type: "phone", id: "+15555550100", sendWelcomeMessage: false }],
      customProperties: { loyalty_member: true },
    });
  });
});

describe("omnisendEvent", () => {
  it.each(EVENT_TYPES)("maps %s to its event name, with the event id as eventID", (type) => {
    const event = exampleLoyaltyEvent(type, BASE);
    const body = omnisendEvent(event, {
      identity: { email: "friend@example.com" },
      customProperties: { loyalty_points_balance: 10 },
    });
    expect(body.eventName).toBe(omnisendEventName(type));
    expect(body.eventName).toMatch(/^(loyalty|store credit) [a-z ]+$/);
    expect(body).toMatchObject({ eventID: BASE.id, eventTime: BASE.occurredAt });
    expect(body.origin).toBe(OMNISEND_ORIGIN);
    if (type === "referral.sent") {
      // The invitation goes to the friend, without the advocate's standing or properties.
      expect(body.contact).toEqual({ email: "friend@example.com" });
      expect(body.properties).not.toHaveProperty("member_points_balance");
      expect(body.properties).not.toHaveProperty("invitation_id");
    } else {
      expect(body.contact.customProperties).toEqual({ loyalty_points_balance: 10 });
      expect(body.properties.member_points_balance).toBe(event.snapshot.points_balance);
    }
  });

  it("gives every catalog event its own name", () => {
    const names = EVENT_TYPES.map(omnisendEventName);
    expect(new Set(names).size).toBe(names.length);
  });
});
