import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exampleLoyaltyEvent, EVENT_TYPES } from "../events";
import { eventBytes, packEventBatches, utf8Bytes } from "./batches";
import { klaviyoEvent, type KlaviyoEvent } from "./event";
import { profileIdentity } from "./identity";
import { profileProperties, profilePropertyNames, type ProfileFacts } from "./profile-properties";

describe("profile identity", () => {
  it("uses email and E.164 phone, and the customer id only when there is neither", () => {
    expect(profileIdentity({ customerId: "7", email: "a@b.co", phone: "+15555550100" })).toEqual({
      email: "a@b.co",
      phoneNumber: "+15555550100",
    });
    expect(profileIdentity({ customerId: "7", email: null, phone: "555-0100" })).toEqual({
      externalId: "7",
    });
    expect(profileIdentity({ customerId: "7", email: null, phone: "+447700900123" })).toEqual({
      phoneNumber: "+447700900123",
    });
  });
});

describe("klaviyoEvent", () => {
  it.each(EVENT_TYPES)("maps %s to its metric with the event id as unique_id", (type) => {
    const event = exampleLoyaltyEvent(type, {
      id: "0b7c6f0e-9d6a-4b1e-8f5e-2a4d3c1b0a99",
      shopId: "5d0c8a4e-1f2b-4c3d-9e8f-7a6b5c4d3e2f",
      occurredAt: "2026-11-22T10:00:00.000Z",
    });
    const invitee = { email: "friend@example.com" };
    const mapped = klaviyoEvent(event, invitee);
    expect(mapped.uniqueId).toBe(event.id);
    expect(mapped.time).toBe(event.occurredAt);
    expect(mapped.metric).toMatch(/^(Loyalty|Store Credit) /);
    if (type === "referral.sent") {
      // The invitation lands on the friend, without the advocate's own standing.
      expect(mapped.profile).toEqual(invitee);
      expect(mapped.properties).not.toHaveProperty("member_points_balance");
      expect(mapped.properties).not.toHaveProperty("invitation_id");
      expect(mapped.properties.advocate_first_name).toBe("Jane");
    } else {
      expect(mapped.profile).not.toEqual(invitee);
      expect(mapped.properties.member_points_balance).toBe(event.snapshot.points_balance);
    }
  });

  it("refuses to send an invitation whose address was erased, and keeps a legacy one on the advocate", () => {
    const base = {
      id: "0b7c6f0e-9d6a-4b1e-8f5e-2a4d3c1b0a99",
      shopId: "5d0c8a4e-1f2b-4c3d-9e8f-7a6b5c4d3e2f",
      occurredAt: "2026-11-22T10:00:00.000Z",
    };
    const invitation = exampleLoyaltyEvent("referral.sent", base);
    expect(() => klaviyoEvent(invitation, null)).toThrow(/address was erased/);
    const legacy = {
      ...invitation,
      payload: { ...invitation.payload, invitation_id: null },
    } as typeof invitation;
    expect(klaviyoEvent(legacy).properties.member_points_balance).toBe(
      legacy.snapshot.points_balance,
    );
  });
});

const anEvent = (uniqueId: string, email: string, padding = 0): KlaviyoEvent => ({
  metric: "Loyalty Points Added",
  properties: { note: "x".repeat(padding) },
  time: "2026-11-22T10:00:00.000Z",
  uniqueId,
  profile: { email },
});

describe("utf8Bytes", () => {
  it("counts what UTF-8 takes, for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(utf8Bytes(text)).toBe(Buffer.byteLength(text, "utf8"));
      }),
      { numRuns: 500 },
    );
  });
});

describe("packEventBatches", () => {
  it("keeps every id once, in order, within the count and size limits", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 5 }), fc.nat(300)),
        ),
        fc.integer({ min: 1, max: 7 }),
        (specs, maxEvents) => {
          const events = specs.map(([id, who, pad]) => anEvent(`e${id}`, `c${who}@x.co`, pad));
          const limits = { events: maxEvents, bytes: 1500 };
          const batches = packEventBatches(events, limits);
          const sent = batches.flatMap((b) => b.events.map((e) => e.uniqueId));
          expect(sent).toEqual([...new Set(events.map((e) => e.uniqueId))]);
          for (const batch of batches) {
            expect(batch.events.length).toBeGreaterThan(0);
            expect(batch.events.length).toBeLessThanOrEqual(maxEvents);
            const bytes = batch.events.reduce((n, e) => n + eventBytes(e), 0);
            expect(bytes <= limits.bytes || batch.events.length === 1).toBe(true);
            const grouped = batch.profiles.flatMap((p) => p.events.map((e) => e.uniqueId));
            expect(grouped.sort()).toEqual(batch.events.map((e) => e.uniqueId).sort());
            for (const group of batch.profiles) {
              for (const e of group.events) expect(e.profile).toEqual(group.profile);
            }
          }
        },
      ),
    );
  });
});

const FACTS: ProfileFacts = {
  memberSince: new Date("2025-03-01T04:00:00Z"),
  accountRegistered: true,
  pointsBalance: 1250,
  lifetimePointsEarned: 2000,
  lifetimePointsSpent: 750,
  tierName: "Gold",
  tierEnteredAt: new Date("2026-01-10T12:00:00Z"),
  tierExpiresAt: new Date("2027-01-10T12:00:00Z"),
  tierLockedUntil: null,
  nextTierName: "Platinum",
  spendToNextTierMinor: 4550,
  pointsExpiry: { expiresOn: { year: 2027, month: 2, day: 28 }, points: 300 },
  lastActivityAt: new Date("2026-11-21T23:30:00Z"),
  birthday: { month: 2, day: 29, year: null },
  referralCode: null,
  referralUrl: null,
  rewardsAvailable: 2,
  readyRewards: [
    {
      code: "LOYAL-5OFF-7QX2",
      name: "$5 off",
      valueFormatted: "$5.00 off",
      expiresAt: new Date("2027-01-01T03:00:00Z"),
    },
    {
      code: "SHIP-FREE-K2M9",
      name: "Free shipping",
      valueFormatted: "Free shipping",
      expiresAt: null,
    },
  ],
  lastRedeemedAt: null,
  storeCredit: { balanceMinor: 1234, currency: "EUR" },
};

const FORMAT_UTC = { currency: "USD", timeZone: "UTC", locale: "en-US" };

describe("profileProperties", () => {
  it("names exactly the catalog §4 properties", () => {
    expect(profilePropertyNames().sort()).toEqual(
      [
        "loyalty_member",
        "loyalty_member_since",
        "loyalty_account_registered",
        "loyalty_points_balance",
        "loyalty_lifetime_points_earned",
        "loyalty_lifetime_points_spent",
        "loyalty_vip_tier",
        "loyalty_vip_tier_entry_date",
        "loyalty_next_tier",
        "loyalty_spend_to_next_tier",
        "loyalty_tier_expiry_date",
        "loyalty_tier_locked_until",
        "loyalty_points_expiry_date",
        "loyalty_points_expiring",
        "loyalty_last_activity_date",
        "loyalty_birthday",
        "loyalty_birth_month",
        "loyalty_referral_code",
        "loyalty_referral_url",
        "loyalty_rewards_available",
        "loyalty_reward_codes",
        "loyalty_rewards_ready",
        "loyalty_last_redeemed_date",
        "store_credit_balance",
        "store_credit_currency",
        "store_credit_symbol",
        "store_credit_formatted_balance",
      ].sort(),
    );
    expect(profilePropertyNames("acme_")).toContain("acme_points_balance");
  });

  it("writes local dates, major-unit money and formatted store credit", () => {
    const shop = { currency: "USD", timeZone: "America/New_York", locale: "en-US" };
    const props = profileProperties(FACTS, shop);
    expect(props).toMatchObject({
      loyalty_member_since: "2025-02-28", // 04:00 UTC is still the evening before in New York
      loyalty_last_activity_date: "2026-11-21",
      loyalty_spend_to_next_tier: 45.5,
      loyalty_points_expiry_date: "2027-02-28",
      loyalty_points_expiring: 300,
      loyalty_birthday: "2000-02-29",
      loyalty_birth_month: 2,
      loyalty_referral_code: null,
      store_credit_balance: 12.34,
      store_credit_currency: "EUR",
      store_credit_symbol: "€",
      store_credit_formatted_balance: "€12.34",
      loyalty_reward_codes: ["LOYAL-5OFF-7QX2", "SHIP-FREE-K2M9"],
      loyalty_rewards_ready: [
        // 03:00 UTC on 1 January is still New Year's Eve in New York.
        { code: "LOYAL-5OFF-7QX2", name: "$5 off", value: "$5.00 off", expires_on: "2026-12-31" },
        { code: "SHIP-FREE-K2M9", name: "Free shipping", value: "Free shipping", expires_on: null },
      ],
    });
  });

  it("clears what is gone with null", () => {
    const props = profileProperties(
      { ...FACTS, tierName: null, birthday: null, storeCredit: null, pointsExpiry: null },
      { currency: "JPY", timeZone: "UTC", locale: "ja-JP" },
    );
    expect(props.loyalty_vip_tier).toBeNull();
    expect(props.loyalty_birthday).toBeNull();
    expect(props.store_credit_balance).toBeNull();
    expect(props.loyalty_points_expiring).toBeNull();
    expect(props.loyalty_spend_to_next_tier).toBe(4550); // JPY has no minor unit
    const none = profileProperties({ ...FACTS, readyRewards: [] }, { ...FORMAT_UTC });
    expect(none.loyalty_reward_codes).toEqual([]);
    expect(none.loyalty_rewards_ready).toEqual([]);
  });
});
