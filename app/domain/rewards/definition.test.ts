import { describe, expect, it } from "vitest";
import { grantRefusal } from "../campaigns/grantable";
import { catalogRewardType, isDiscountReward, RewardDefinitionSchema } from "./definition";
import { quoteRedemption } from "./quote";

const GIFT_WRAP = {
  type: "custom",
  handle: "gift-wrap",
  name: "Gift wrap",
  pointsCost: 300,
  instructions: "Gift wrap will be added to your next order; mention this code at checkout.",
} as const;

const issuesOf = (input: unknown) =>
  (RewardDefinitionSchema.safeParse(input).error?.issues ?? []).map((issue) => ({
    path: issue.path,
    message: issue.message,
  }));

describe("custom reward definitions (the merchant fulfils them)", () => {
  it("takes the common fields, a points cost and instructions; expiry is optional", () => {
    const reward = RewardDefinitionSchema.parse({
      ...GIFT_WRAP,
      instructions: `  ${GIFT_WRAP.instructions}\n`,
    });
    expect(reward).toEqual({
      ...GIFT_WRAP,
      enabled: true,
      eligibleTierIds: [],
      limitPerMember: null,
      codeExpiryDays: null,
    });
    expect(RewardDefinitionSchema.parse({ ...GIFT_WRAP, codeExpiryDays: 30 })).toMatchObject({
      codeExpiryDays: 30,
    });
  });

  it("refuses missing, blank or over-long instructions with the merchant's copy keys", () => {
    const { instructions: _omitted, ...withoutInstructions } = GIFT_WRAP;
    expect(issuesOf(withoutInstructions)).toEqual([
      { path: ["instructions"], message: "validation.reward.instructionsRequired" },
    ]);
    expect(issuesOf({ ...GIFT_WRAP, instructions: "   " })).toEqual([
      { path: ["instructions"], message: "validation.reward.instructionsRequired" },
    ]);
    expect(issuesOf({ ...GIFT_WRAP, instructions: "x".repeat(501) })).toEqual([
      { path: ["instructions"], message: "validation.reward.instructionsLong" },
    ]);
    expect(issuesOf({ ...GIFT_WRAP, instructions: "x".repeat(500) })).toEqual([]);
  });

  it("has no money value, discount options or Shopify ids to set", () => {
    for (const extra of [{ amountMinor: 500 }, { combinesWith: {} }, { variantId: "42" }]) {
      expect(issuesOf({ ...GIFT_WRAP, ...extra })).not.toEqual([]);
    }
    expect(issuesOf({ ...GIFT_WRAP, codeExpiryDays: 0 })[0]?.path).toEqual(["codeExpiryDays"]);
  });

  it("is its own reward_type, is not a Shopify discount, and can be granted without points", () => {
    const reward = RewardDefinitionSchema.parse(GIFT_WRAP);
    expect(catalogRewardType(reward.type)).toBe("custom");
    expect(isDiscountReward(reward)).toBe(false);
    expect(grantRefusal(reward)).toBeNull();
  });

  it("quotes its points, its name as its value, and its expiry from the day it is issued", () => {
    const now = new Date("2026-12-07T12:00:00Z");
    const reward = RewardDefinitionSchema.parse({ ...GIFT_WRAP, codeExpiryDays: 10 });
    const quote = quoteRedemption(
      reward,
      { pointsBalance: 1000, tierId: null, heldOfThisReward: 0 },
      { grant: false, currency: "USD" },
      now,
    );
    expect(quote).toEqual({
      pointsCost: 300,
      valueMinor: null,
      valuePercentage: null,
      expiresAt: new Date("2026-12-17T12:00:00Z"),
      valueFormatted: "Gift wrap",
    });
  });
});
