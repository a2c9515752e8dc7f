import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RewardDefinitionSchema, type RewardDefinitionInput } from "./definition";
import { quoteRedemption, RewardRuleError, type RedeemingMember } from "./quote";
import { rewardCode } from "./code";
import { minorToDecimalString } from "./money";

const now = new Date("2026-11-23T10:00:00Z");
const reward = (input: Partial<RewardDefinitionInput> & Pick<RewardDefinitionInput, "type">) =>
  RewardDefinitionSchema.parse({ handle: "r", name: "Reward", ...input });
const member = { pointsBalance: 1000, tierId: null, heldOfThisReward: 0 };
const usd = { grant: false, currency: "USD" };

function ruleError(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof RewardRuleError) return error;
    throw error;
  }
  throw new Error("expected a RewardRuleError");
}

describe("reward definitions", () => {
  it("rejects fractional, negative and zero amounts with the field named", () => {
    for (const amountMinor of [2.5, -100, 0]) {
      const result = RewardDefinitionSchema.safeParse({
        type: "fixed_amount",
        handle: "five-off",
        name: "$5 off",
        pointsCost: 500,
        amountMinor,
      });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(["amountMinor"]);
    }
  });

  it("rejects a pay-with-points range that is not made of whole steps", () => {
    const result = RewardDefinitionSchema.safeParse({
      type: "pay_with_points",
      handle: "pay",
      name: "Pay with points",
      pointsPerStep: 100,
      amountMinorPerStep: 100,
      minPoints: 150,
      maxPoints: 1000,
    });
    expect(result.success).toBe(false);
  });
});

describe("quoteRedemption", () => {
  it("prices a fixed discount and dates its expiry from now", () => {
    const quote = quoteRedemption(
      reward({ type: "fixed_amount", pointsCost: 500, amountMinor: 500, codeExpiryDays: 30 }),
      member,
      usd,
      now,
    );
    expect(quote).toEqual({
      pointsCost: 500,
      valueMinor: 500,
      valuePercentage: null,
      expiresAt: new Date("2026-12-23T10:00:00Z"),
      valueFormatted: "$5.00 off",
    });
  });

  it("refuses a disabled reward, a tier that may not redeem, a held limit and too few points", () => {
    const base = { type: "percentage" as const, pointsCost: 300, percentage: 10 };
    expect(
      ruleError(() => quoteRedemption(reward({ ...base, enabled: false }), member, usd, now)).code,
    ).toBe("reward_unavailable");
    expect(
      ruleError(() =>
        quoteRedemption(
          reward({ ...base, eligibleTierIds: ["gold"] }),
          { ...member, tierId: "silver" },
          usd,
          now,
        ),
      ).message,
    ).toMatch(/VIP tiers/);
    expect(
      ruleError(() =>
        quoteRedemption(
          reward({ ...base, limitPerMember: 1 }),
          { ...member, heldOfThisReward: 1 },
          usd,
          now,
        ),
      ).code,
    ).toBe("reward_unavailable");
    expect(
      ruleError(() => quoteRedemption(reward(base), { ...member, pointsBalance: 299 }, usd, now))
        .message,
    ).toBe("The reward needs 300 points; the member has 299");
  });

  it("says why in a form the storefront translates: which rule, and how many points are missing", () => {
    const base = { type: "percentage" as const, pointsCost: 300, percentage: 10 };
    const refusal = (r: ReturnType<typeof reward>, m: RedeemingMember) =>
      ruleError(() => quoteRedemption(r, m, usd, now)).refusal;
    expect(refusal(reward({ ...base, enabled: false }), member)).toEqual({ why: "disabled" });
    expect(
      refusal(reward({ ...base, eligibleTierIds: ["gold"] }), { ...member, tierId: "silver" }),
    ).toEqual({ why: "tier_only" });
    expect(
      refusal(reward({ ...base, limitPerMember: 1 }), { ...member, heldOfThisReward: 1 }),
    ).toEqual({ why: "limit_reached" });
    expect(refusal(reward(base), { ...member, pointsBalance: 120 })).toEqual({
      why: "more_points",
      short: 180,
    });
    // Below zero (a Flow subtraction may go there), the member has the debt to earn back too.
    expect(refusal(reward(base), { ...member, pointsBalance: -50 })).toEqual({
      why: "more_points",
      short: 350,
    });
  });

  it("lets a grant through without points or tier, but not a disabled reward", () => {
    const gold = reward({ type: "free_shipping", pointsCost: 800, eligibleTierIds: ["gold"] });
    const quote = quoteRedemption(
      gold,
      { ...member, pointsBalance: 0 },
      { ...usd, grant: true },
      now,
    );
    expect(quote.pointsCost).toBe(0);
    expect(quote.valueFormatted).toBe("Free shipping");
  });

  it("pay with points: any whole step in range buys exactly its value, anything else is refused", () => {
    const pay = reward({
      type: "pay_with_points",
      pointsPerStep: 100,
      amountMinorPerStep: 125,
      minPoints: 200,
      maxPoints: 5000,
    });
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000, max: 20_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (points, balance) => {
          const request = { ...usd, points };
          const valid = points >= 200 && points <= 5000 && points % 100 === 0;
          if (valid && points <= balance) {
            const quote = quoteRedemption(pay, { ...member, pointsBalance: balance }, request, now);
            expect(quote.pointsCost).toBe(points);
            expect(quote.valueMinor).toBe((points / 100) * 125);
            expect(Number.isInteger(quote.valueMinor)).toBe(true);
          } else {
            const error = ruleError(() =>
              quoteRedemption(pay, { ...member, pointsBalance: balance }, request, now),
            );
            expect(error.code).toBe(valid ? "insufficient_points" : "invalid_input");
          }
        },
      ),
    );
    expect(ruleError(() => quoteRedemption(pay, member, { ...usd, points: 250.5 }, now)).code).toBe(
      "invalid_input",
    );
  });

  it("formats money in the shop currency (zero-decimal yen)", () => {
    const quote = quoteRedemption(
      reward({ type: "store_credit", pointsCost: 100, amountMinor: 500 }),
      member,
      { grant: false, currency: "JPY" },
      now,
    );
    expect(quote.valueFormatted).toBe("¥500 store credit");
  });
});

describe("rewardCode", () => {
  it("is stable per redemption and fits Shopify's gift card code rules", () => {
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    expect(rewardCode(id, "discount")).toBe("LOYAL-0F8FAD5BD9CB");
    expect(rewardCode(id, "gift_card")).toMatch(/^[0-9A-F]{16}$/);
    expect(() => rewardCode("nope", "discount")).toThrow(RangeError);
  });
});

describe("minorToDecimalString", () => {
  it("writes minor units as Shopify decimals without floats", () => {
    expect(minorToDecimalString(500, "USD")).toBe("5.00");
    expect(minorToDecimalString(7, "EUR")).toBe("0.07");
    expect(minorToDecimalString(500, "JPY")).toBe("500");
    expect(minorToDecimalString(1234, "KWD")).toBe("1.234");
  });
});
