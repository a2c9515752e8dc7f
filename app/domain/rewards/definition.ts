import { z } from "zod";
import type { REWARD_TYPES } from "../events/reward-events";

// The merchant's reward catalog (issue #4 scope 1). Money is integer minor units of the shop
// currency; points are integers. One schema for the admin form, the stored JSON and Flow grants.

const minor = z.int("amounts are whole minor units (cents)").positive().max(100_000_000);
const pointsCost = z.int("points are whole numbers").min(0).max(10_000_000);

const common = {
  /** Stable key (Flow "Grant loyalty reward" and the storefront refer to it), unique per shop. */
  handle: z
    .string()
    .max(60)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "validation.reward.handle"),
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  /** Tier ids that may redeem it; empty means every member. */
  eligibleTierIds: z.array(z.string().min(1).max(40)).max(50).default([]),
  /** How many of it one member may hold issued or used at once (reverted ones do not count). */
  limitPerMember: z.int().positive().max(1000).nullable().default(null),
};

/** Options of rewards Shopify issues as discount codes. */
const discountOptions = {
  /** Minimum order subtotal for the code to apply; null = none. */
  minimumSubtotalMinor: minor.nullable().default(null),
  /** The code stops working this many days after it is issued; null = never. */
  codeExpiryDays: z.int().min(1).max(3650).nullable().default(null),
  /** reward.expiring is sent this many days before an unused code expires; 0 = no reminder. */
  expiryReminderDays: z.int().min(0).max(365).default(7),
  combinesWith: z
    .strictObject({
      orderDiscounts: z.boolean().default(false),
      productDiscounts: z.boolean().default(false),
      shippingDiscounts: z.boolean().default(false),
    })
    .prefault({}),
};

export const RewardDefinitionSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("fixed_amount"),
    ...common,
    ...discountOptions,
    pointsCost,
    amountMinor: minor,
  }),
  z.strictObject({
    type: z.literal("percentage"),
    ...common,
    ...discountOptions,
    pointsCost,
    /** Whole percent off the order, 1–100. */
    percentage: z.int("a whole percentage").min(1).max(100),
  }),
  z.strictObject({
    type: z.literal("free_shipping"),
    ...common,
    ...discountOptions,
    pointsCost,
    /** Shipping rates above this are not free; null = any rate. */
    maximumShippingPriceMinor: minor.nullable().default(null),
  }),
  z.strictObject({
    type: z.literal("free_product"),
    ...common,
    ...discountOptions,
    pointsCost,
    /** The Shopify product variant given for free (numeric id). */
    variantId: z.string().regex(/^[1-9]\d*$/, "a Shopify variant id"),
  }),
  z.strictObject({
    type: z.literal("store_credit"),
    ...common,
    pointsCost,
    amountMinor: minor,
    /** The credit expires this many days after it is issued; null = never. */
    creditExpiryDays: z.int().min(1).max(3650).nullable().default(null),
  }),
  z.strictObject({
    type: z.literal("gift_card"),
    ...common,
    pointsCost,
    amountMinor: minor,
    codeExpiryDays: z.int().min(1).max(3650).nullable().default(null),
  }),
  z.strictObject({
    type: z.literal("custom"),
    ...common,
    pointsCost,
    /**
     * What the shopper does next, shown with the reward's code once redeemed: the merchant
     * fulfils it by hand (gift wrap, a call, an event seat), so nothing exists at Shopify.
     */
    instructions: z
      .string("validation.reward.instructionsRequired")
      .trim()
      .min(1, "validation.reward.instructionsRequired")
      .max(500, "validation.reward.instructionsLong"),
    /** The reference code stops counting this many days after it is issued; null = never. */
    codeExpiryDays: z.int().min(1).max(3650).nullable().default(null),
  }),
  z
    .strictObject({
      type: z.literal("pay_with_points"),
      ...common,
      ...discountOptions,
      /** `pointsPerStep` points buy `amountMinorPerStep` off (e.g. 100 points = $1.00). */
      pointsPerStep: z.int().positive().max(1_000_000),
      amountMinorPerStep: minor,
      /** The shopper picks the points, a multiple of pointsPerStep within [minPoints, maxPoints]. */
      minPoints: z.int().positive().max(10_000_000),
      maxPoints: z.int().positive().max(10_000_000),
    })
    .refine((r) => r.minPoints <= r.maxPoints, {
      path: ["maxPoints"],
      message: "validation.reward.maxBelowMin",
    })
    .refine((r) => r.minPoints % r.pointsPerStep === 0 && r.maxPoints % r.pointsPerStep === 0, {
      path: ["minPoints"],
      message: "validation.reward.stepMultiple",
    }),
]);

export type RewardDefinition = z.infer<typeof RewardDefinitionSchema>;
export type RewardDefinitionInput = z.input<typeof RewardDefinitionSchema>;
export type RewardKind = RewardDefinition["type"];
export type DiscountRewardDefinition = Extract<
  RewardDefinition,
  { type: "fixed_amount" | "percentage" | "free_shipping" | "free_product" | "pay_with_points" }
>;

/** The catalog's reward.issued `reward_type` for each kind of catalog reward. */
export function catalogRewardType(kind: RewardKind): (typeof REWARD_TYPES)[number] {
  switch (kind) {
    case "fixed_amount":
    case "percentage":
      return "discount_code";
    default:
      return kind;
  }
}

export function isDiscountReward(reward: RewardDefinition): reward is DiscountRewardDefinition {
  return reward.type !== "store_credit" && reward.type !== "gift_card" && reward.type !== "custom";
}
