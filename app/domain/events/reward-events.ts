import { z } from "zod";
import { defineEvent } from "./definition";
import { pointsBalanceField } from "./flow-fields";
import {
  currencyCode,
  formattedText,
  isoDateTime,
  moneyMinor,
  nonNegativeInt,
  shopifyNumericId,
  shortText,
} from "./primitives";

// Reward lifecycle: issued → (expiring) → used | expired (catalog rows reward.*). Every reward
// event names the issued reward the same way so Klaviyo/Flow can correlate them.

/** reward.issued `source` (catalog row reward.issued; seed 000 "Reward issued"). */
export const REWARD_ISSUED_SOURCES = [
  "points_redemption",
  "shopify_flow_action",
  "one_time_campaign",
  "welcome",
  "birthday",
  "tier_entry",
  "referral",
] as const;

/**
 * `reward_type` (catalog row reward.issued; seed 000 lists Free_product, Discount_code, ...).
 * `custom` is a reward the merchant fulfils by hand (gift wrap): its code is the app's reference,
 * and staff mark it used (issue #21).
 */
export const REWARD_TYPES = [
  "discount_code",
  "free_shipping",
  "free_product",
  "pay_with_points",
  "store_credit",
  "gift_card",
  "custom",
] as const;

/** reward.expired `reason`: the catalog's "expired or was voided". */
export const REWARD_EXPIRED_REASONS = ["expired", "voided"] as const;

/** Identifies the issued reward (not the catalog reward it came from). */
const rewardIdentity = {
  reward_id: z.string().min(1).max(64),
  /** Display name, e.g. "$5 off" (seed 001 coupon_title). */
  reward_name: shortText,
  reward_type: z.enum(REWARD_TYPES),
};

export const rewardIssued = defineEvent({
  type: "reward.issued",
  payload: z
    .object({
      ...rewardIdentity,
      source: z.enum(REWARD_ISSUED_SOURCES),
      /** The code to use at checkout; null for rewards without one (e.g. store credit). */
      code: shortText.nullable(),
      /** Fixed-amount value in minor units; null for percentage / free shipping / free product. */
      value_minor: moneyMinor.nullable(),
      /** Percentage off (0–100]; null unless the reward is a percentage discount. */
      value_percentage: z.number().positive().max(100).nullable(),
      /** Currency of value_minor; null exactly when value_minor is null. */
      currency: currencyCode.nullable(),
      /** Always present, e.g. "$5.00 off", "10% off", "Free shipping" (seed 001 `value`). */
      value_formatted: formattedText,
      /** Null when the reward never expires (seed 001's "Never"). */
      expires_at: isoDateTime.nullable(),
      /** 0 unless bought with points. */
      points_spent: nonNegativeInt,
    })
    .strict()
    .refine((p) => (p.value_minor === null) === (p.currency === null), {
      message: "value_minor and currency are both set or both null",
      path: ["currency"],
    }),
  klaviyoMetric: "Loyalty Reward Issued",
  flowTrigger: {
    handle: "loyalty-reward-issued",
    name: "Reward issued",
    description: "A reward (discount code, store credit or gift card) was issued to a member.",
    fields: [
      {
        key: "Reward name",
        type: "single_line_text_field",
        description: "Name of the reward, e.g. $5 off.",
        value: (p) => p.reward_name,
      },
      {
        key: "Reward type",
        type: "single_line_text_field",
        description: "Kind of reward, e.g. discount_code, free_shipping, store_credit.",
        value: (p) => p.reward_type,
      },
      {
        key: "Source",
        type: "single_line_text_field",
        description: "Why it was issued, e.g. points_redemption, birthday, referral.",
        value: (p) => p.source,
      },
      {
        key: "Code",
        type: "single_line_text_field",
        description: "The code to use at checkout; empty when the reward has none.",
        value: (p) => p.code,
      },
      {
        key: "Value",
        type: "single_line_text_field",
        description: "The reward's value for display, e.g. $5.00 off or 10% off.",
        value: (p) => p.value_formatted,
      },
      {
        key: "Expires at",
        type: "single_line_text_field",
        description: "When the reward expires (ISO 8601); empty when it never does.",
        value: (p) => p.expires_at,
      },
      {
        key: "Points spent",
        type: "number_decimal",
        description: "Points spent on the reward; 0 when it was not bought with points.",
        value: (p) => p.points_spent,
      },
      pointsBalanceField(),
    ],
  },
});

export const rewardExpiring = defineEvent({
  type: "reward.expiring",
  payload: z
    .object({
      ...rewardIdentity,
      code: shortText,
      value_formatted: formattedText,
      expires_at: isoDateTime,
      days_left: nonNegativeInt,
    })
    .strict(),
  klaviyoMetric: "Loyalty Reward Expiring",
  flowTrigger: {
    handle: "loyalty-reward-expiring",
    name: "Reward expiring",
    description: "An unused reward code of a member will expire soon.",
    fields: [
      {
        key: "Reward name",
        type: "single_line_text_field",
        description: "Name of the reward, e.g. $5 off.",
        value: (p) => p.reward_name,
      },
      {
        key: "Reward type",
        type: "single_line_text_field",
        description: "Kind of reward, e.g. discount_code, free_shipping.",
        value: (p) => p.reward_type,
      },
      {
        key: "Code",
        type: "single_line_text_field",
        description: "The unused code.",
        value: (p) => p.code,
      },
      {
        key: "Value",
        type: "single_line_text_field",
        description: "The reward's value for display, e.g. $5.00 off.",
        value: (p) => p.value_formatted,
      },
      {
        key: "Expires at",
        type: "single_line_text_field",
        description: "When the code expires (ISO 8601).",
        value: (p) => p.expires_at,
      },
      {
        key: "Days left",
        type: "number_decimal",
        description: "Days until the code expires.",
        value: (p) => p.days_left,
      },
    ],
  },
});

export const rewardUsed = defineEvent({
  type: "reward.used",
  payload: z
    .object({
      ...rewardIdentity,
      code: shortText,
      /** The order that used the code; null for a custom reward the merchant fulfilled by hand. */
      order_id: shopifyNumericId.nullable(),
      /** The order's name, e.g. #1001; null when unknown or for a custom reward fulfilled by hand. */
      order_name: shortText.nullable(),
    })
    .strict(),
  // Seed 002 PurchasedWithReward.
  klaviyoMetric: "Loyalty Reward Used",
  flowTrigger: {
    handle: "loyalty-reward-used",
    name: "Reward used",
    description:
      "An order used a member's loyalty reward code, or the merchant fulfilled a custom reward.",
    fields: [
      {
        key: "Reward name",
        type: "single_line_text_field",
        description: "Name of the reward, e.g. $5 off.",
        value: (p) => p.reward_name,
      },
      {
        key: "Reward type",
        type: "single_line_text_field",
        description: "Kind of reward, e.g. discount_code, free_shipping.",
        value: (p) => p.reward_type,
      },
      {
        key: "Code",
        type: "single_line_text_field",
        description: "The code the order used.",
        value: (p) => p.code,
      },
      {
        key: "Order ID",
        type: "single_line_text_field",
        description:
          "The Shopify order that used the code (numeric id); empty for a custom reward fulfilled by hand.",
        value: (p) => p.order_id,
      },
      {
        key: "Order name",
        type: "single_line_text_field",
        description:
          "The order's name, e.g. #1001; empty when unknown or for a custom reward fulfilled by hand.",
        value: (p) => p.order_name,
      },
      pointsBalanceField(),
    ],
  },
});

export const rewardExpired = defineEvent({
  type: "reward.expired",
  payload: z
    .object({
      ...rewardIdentity,
      code: shortText,
      reason: z.enum(REWARD_EXPIRED_REASONS),
    })
    .strict(),
  // Seed 002 CouponExpired ("coupons/expiry or coupons/void").
  klaviyoMetric: "Loyalty Reward Expired",
  flowTrigger: {
    handle: "loyalty-reward-expired",
    name: "Reward expired",
    description: "A member's unused reward code expired or was voided.",
    fields: [
      {
        key: "Reward name",
        type: "single_line_text_field",
        description: "Name of the reward, e.g. $5 off.",
        value: (p) => p.reward_name,
      },
      {
        key: "Reward type",
        type: "single_line_text_field",
        description: "Kind of reward, e.g. discount_code, free_shipping.",
        value: (p) => p.reward_type,
      },
      {
        key: "Code",
        type: "single_line_text_field",
        description: "The code that no longer works.",
        value: (p) => p.code,
      },
      {
        key: "Reason",
        type: "single_line_text_field",
        description: "Why the code stopped working: expired (its date passed) or voided.",
        value: (p) => p.reason,
      },
      pointsBalanceField(),
    ],
  },
});
