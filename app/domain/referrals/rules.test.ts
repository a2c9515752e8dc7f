import { describe, expect, it } from "vitest";
import { normalisedAddress } from "./address";
import {
  assessCompletion,
  assessReferral,
  ReferralProgramSchema,
  referralCodeFrom,
  type ReferralFacts,
} from "./rules";

const now = new Date("2026-11-23T12:00:00Z");
const program = ReferralProgramSchema.parse({
  enabled: true,
  advocateCap: { count: 2, periodDays: 30 },
});
const facts = (over: Partial<ReferralFacts> = {}): ReferralFacts => ({
  advocate: {
    customerId: 1n,
    email: "ann@example.com",
    phone: "+1 (555) 000-1111",
    addressKey: "12 oak st|SW1A1AA|GB",
  },
  friend: { customerId: 2n, email: "bob@example.com", phone: "+15550002222", addressKey: null },
  friendPriorOrders: 0,
  advocateReferralTimes: [],
  ...over,
});
const reason = (f: ReferralFacts) => {
  const verdict = assessReferral(program, f, now);
  return verdict.ok ? "ok" : verdict.reason;
};

describe("referral fraud rules: each rejects its case and lets a legitimate friend through", () => {
  it("self referral", () => {
    expect(
      reason(facts({ friend: { customerId: 1n, email: null, phone: null, addressKey: null } })),
    ).toBe("self_referral");
    expect(reason(facts())).toBe("ok");
  });
  it("same email, in any case or spacing", () => {
    expect(
      reason(
        facts({
          friend: { customerId: 2n, email: " ANN@example.com", phone: null, addressKey: null },
        }),
      ),
    ).toBe("same_email");
    expect(
      reason(
        facts({
          friend: { customerId: 2n, email: "ann2@example.com", phone: null, addressKey: null },
        }),
      ),
    ).toBe("ok");
  });
  it("same phone, however it is written", () => {
    expect(
      reason(
        facts({ friend: { customerId: 2n, email: null, phone: "15550001111", addressKey: null } }),
      ),
    ).toBe("same_phone");
    expect(
      reason(facts({ friend: { customerId: 2n, email: null, phone: null, addressKey: null } })),
    ).toBe("ok");
  });
  it("same address, at claim time and when the friend's first order ships there", () => {
    const friendAt = (addressKey: string | null) => ({
      customerId: 2n,
      email: "bob@example.com",
      phone: null,
      addressKey,
    });
    expect(reason(facts({ friend: friendAt("12 oak st|SW1A1AA|GB") }))).toBe("same_address");
    expect(reason(facts({ friend: friendAt("14 oak st|SW1A1AA|GB") }))).toBe("ok");
    // An advocate without a known address matches no one, not everyone without one.
    const unknown = { ...facts().advocate, addressKey: null };
    expect(reason(facts({ advocate: unknown, friend: friendAt(null) }))).toBe("ok");

    expect(assessCompletion(facts().advocate, "12 oak st|SW1A1AA|GB")).toMatchObject({
      ok: false,
      reason: "same_address",
    });
    expect(assessCompletion(facts().advocate, "9 elm rd|SW1A1AA|GB")).toEqual({ ok: true });
    expect(assessCompletion(unknown, null)).toEqual({ ok: true });
  });
  it("addresses compare by street line, postal code and country, however they are written", () => {
    const ann = normalisedAddress({
      address1: "12 Oak Street",
      zip: "sw1a 1aa",
      country_code: "gb",
    });
    expect(ann).toBe("12 oak st|SW1A1AA|GB");
    expect(
      normalisedAddress({ address1: " 12, OAK st. ", zip: "SW1A-1AA", country_code: "GB" }),
    ).toBe(ann);
    expect(normalisedAddress({ address1: "12 Öak Street", zip: "SW1A1AA", country: "GB" })).toBe(
      ann,
    );
    // Another house, another postal code or another country is another address.
    expect(
      normalisedAddress({ address1: "14 Oak Street", zip: "SW1A1AA", country_code: "GB" }),
    ).not.toBe(ann);
    expect(
      normalisedAddress({ address1: "12 Oak Street", zip: "SW1A2AA", country_code: "GB" }),
    ).not.toBe(ann);
    expect(
      normalisedAddress({ address1: "12 Oak Street", zip: "SW1A1AA", country_code: "IE" }),
    ).not.toBe(ann);
    // Incomplete addresses compare to nothing.
    expect(
      normalisedAddress({ address1: "12 Oak Street", zip: null, country_code: "GB" }),
    ).toBeNull();
    expect(normalisedAddress({ address1: "  ", zip: "SW1A1AA", country_code: "GB" })).toBeNull();
    expect(normalisedAddress(null)).toBeNull();
  });
  it("friend must be a new customer", () => {
    expect(reason(facts({ friendPriorOrders: 1 }))).toBe("not_new_customer");
    expect(reason(facts({ friendPriorOrders: 0 }))).toBe("ok");
  });
  it("advocate cap per period counts only referrals inside the period", () => {
    const recent = [new Date("2026-11-20T00:00:00Z"), new Date("2026-11-01T00:00:00Z")];
    expect(reason(facts({ advocateReferralTimes: recent }))).toBe("advocate_cap");
    const oneOld = [new Date("2026-11-20T00:00:00Z"), new Date("2026-10-01T00:00:00Z")];
    expect(reason(facts({ advocateReferralTimes: oneOld }))).toBe("ok");
  });
  it("codes are readable and deterministic in their bytes", () => {
    expect(referralCodeFrom(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 31]))).toBe("REF-ABCDEFG9");
  });
});
