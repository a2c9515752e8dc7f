import { describe, expect, it } from "vitest";
import {
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
  advocate: { customerId: 1n, email: "ann@example.com", phone: "+1 (555) 000-1111" },
  friend: { customerId: 2n, email: "bob@example.com", phone: "+15550002222" },
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
    expect(reason(facts({ friend: { customerId: 1n, email: null, phone: null } }))).toBe(
      "self_referral",
    );
    expect(reason(facts())).toBe("ok");
  });
  it("same email, in any case or spacing", () => {
    expect(
      reason(facts({ friend: { customerId: 2n, email: " ANN@example.com", phone: null } })),
    ).toBe("same_email");
    expect(
      reason(facts({ friend: { customerId: 2n, email: "ann2@example.com", phone: null } })),
    ).toBe("ok");
  });
  it("same phone, however it is written", () => {
    expect(reason(facts({ friend: { customerId: 2n, email: null, phone: "15550001111" } }))).toBe(
      "same_phone",
    );
    expect(reason(facts({ friend: { customerId: 2n, email: null, phone: null } }))).toBe("ok");
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
