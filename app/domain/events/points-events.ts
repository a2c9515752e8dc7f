import { z } from "zod";
import { defineEvent } from "./definition";
import { pointsBalanceField } from "./flow-fields";
import { isoDate, nonNegativeInt, pointsAmount, shopifyNumericId, shortText } from "./primitives";

// Points ledger events (catalog rows points.*). The enum values are the catalog's, which extend
// seed 000's OMNI lists; once shipped a value is never renamed.

/**
 * points.added `source` (catalog row points.added). Only sources something produces (issue #21):
 * `one_time_campaign` is a campaign of points (ADR 0063); `offline_purchase` is a claim code
 * from an offline purchase, claimed on the storefront (issue #23, ADR 0068). The bonus for
 * registering an account is `welcome_bonus`; `newsletter_signup` is a customer's first email
 * marketing consent. `custom_action` is Flow's "Add points for a custom action" (the custom
 * action's name as Settings spells it in the note); `social_follow` is a follow clicked in the
 * widget (the network in the note), once per network per member. `goal` is a goal's bonus (the
 * Nth order, or a spend goal within a window; issue #23), once per member and goal, naming the
 * order that reached it.
 */
export const POINTS_ADDED_SOURCES = [
  "purchase",
  "manual",
  "birthday_bonus",
  "welcome_bonus",
  "tier_bonus",
  "reward_redemption_reverted",
  "shopify_flow_action",
  "referral",
  "anniversary",
  "import",
  "one_time_campaign",
  "newsletter_signup",
  "offline_purchase",
  "custom_action",
  "social_follow",
  "goal",
] as const;

/**
 * points.subtracted `source` (catalog row points.subtracted). `tier_bonus` is a VIP tier entry
 * bonus taken back because no entry of the tier stands on the member's facts (a late earlier
 * order went past the tier, or a merge joined two customers who had each entered it; ADR 0054);
 * a bonus a refund or cancellation undid goes back as `order_refund` / `order_cancelled`.
 * `goal` is a goal bonus taken back because the member's facts owe it once (a merge of two
 * customers who had each reached it); a goal a refund or cancellation undid goes back as those.
 */
export const POINTS_SUBTRACTED_SOURCES = [
  "order_refund",
  "order_cancelled",
  "reward_redemption",
  "manual",
  "shopify_flow_action",
  "tier_bonus",
  "goal",
] as const;

/** Order context of a ledger entry; null when the entry has no order. */
const orderContext = {
  order_id: shopifyNumericId.nullable(),
  /** The order's display name ("#1001") for emails. */
  order_name: shortText.nullable(),
};

/** Free text from the staff member or the Flow action ("note" in catalog §3). */
const note = z.string().min(1).max(500).nullable();

const orderId = {
  key: "Order ID",
  type: "single_line_text_field",
  description: "Shopify order ID; empty when not from an order.",
  value: (p: { order_id: string | null }) => p.order_id,
} as const;

const orderName = {
  key: "Order name",
  type: "single_line_text_field",
  description: "The order's name, e.g. #1001; empty when not from an order.",
  value: (p: { order_name: string | null }) => p.order_name,
} as const;

const noteField = {
  key: "Note",
  type: "single_line_text_field",
  description: "Note left by staff or the Flow action; empty when none.",
  value: (p: { note: string | null }) => p.note,
} as const;

export const pointsAdded = defineEvent({
  type: "points.added",
  payload: z
    .object({
      points: pointsAmount,
      source: z.enum(POINTS_ADDED_SOURCES),
      ...orderContext,
      note,
    })
    .strict()
    // "order id when source=purchase" (catalog).
    .refine((p) => p.source !== "purchase" || p.order_id !== null, {
      message: "order_id is required when source is purchase",
      path: ["order_id"],
    }),
  klaviyoMetric: "Loyalty Points Added",
  flowTrigger: {
    handle: "loyalty-points-added",
    name: "Points added",
    description: "Loyalty points were credited to a member.",
    fields: [
      {
        key: "Points",
        type: "number_decimal",
        description: "Points credited (a positive whole number).",
        value: (p) => p.points,
      },
      {
        key: "Source",
        type: "single_line_text_field",
        description: "Why the points were credited, e.g. purchase, manual, birthday_bonus.",
        value: (p) => p.source,
      },
      orderId,
      orderName,
      noteField,
      pointsBalanceField(),
    ],
  },
});

export const pointsSubtracted = defineEvent({
  type: "points.subtracted",
  payload: z
    .object({
      /** The amount removed, positive: the event type carries the sign. */
      points: pointsAmount,
      source: z.enum(POINTS_SUBTRACTED_SOURCES),
      ...orderContext,
      note,
    })
    .strict()
    .refine(
      (p) => (p.source !== "order_refund" && p.source !== "order_cancelled") || p.order_id !== null,
      {
        message: "order_id is required when source is an order refund/cancellation",
        path: ["order_id"],
      },
    ),
  klaviyoMetric: "Loyalty Points Subtracted",
  flowTrigger: {
    handle: "loyalty-points-subtracted",
    name: "Points subtracted",
    description: "Loyalty points were debited from a member.",
    fields: [
      {
        key: "Points",
        type: "number_decimal",
        description: "Points debited (a positive whole number).",
        value: (p) => p.points,
      },
      {
        key: "Source",
        type: "single_line_text_field",
        description: "Why the points were debited, e.g. order_refund, reward_redemption, manual.",
        value: (p) => p.source,
      },
      orderId,
      orderName,
      noteField,
      pointsBalanceField(),
    ],
  },
});

export const pointsExpiring = defineEvent({
  type: "points.expiring",
  payload: z
    .object({
      points_expiring: pointsAmount,
      /** The calendar date the points expire (catalog §4 loyalty_points_expiry_date). */
      expiry_date: isoDate,
      days_left: nonNegativeInt,
    })
    .strict(),
  klaviyoMetric: "Loyalty Points Expiring",
  flowTrigger: {
    handle: "loyalty-points-expiring",
    name: "Points expiring",
    description: "Some of a member's points will expire soon.",
    fields: [
      {
        key: "Points expiring",
        type: "number_decimal",
        description: "Points that will expire.",
        value: (p) => p.points_expiring,
      },
      {
        key: "Expiry date",
        type: "single_line_text_field",
        description: "The date the points expire (YYYY-MM-DD).",
        value: (p) => p.expiry_date,
      },
      {
        key: "Days left",
        type: "number_decimal",
        description: "Days until the points expire.",
        value: (p) => p.days_left,
      },
      pointsBalanceField(),
    ],
  },
});

export const pointsExpired = defineEvent({
  type: "points.expired",
  payload: z
    .object({
      // Seed 002 PointsExpired: points_expired, last_activity_at (a date here, as in catalog §4).
      points_expired: pointsAmount,
      /** Null when the member never had qualifying activity. */
      last_activity_date: isoDate.nullable(),
    })
    .strict(),
  klaviyoMetric: "Loyalty Points Expired",
  flowTrigger: {
    handle: "loyalty-points-expired",
    name: "Points expired",
    description: "Some of a member's points expired.",
    fields: [
      {
        key: "Points expired",
        type: "number_decimal",
        description: "Points that expired.",
        value: (p) => p.points_expired,
      },
      {
        key: "Last activity date",
        type: "single_line_text_field",
        description: "The member's last qualifying activity (YYYY-MM-DD); empty when none.",
        value: (p) => p.last_activity_date,
      },
      pointsBalanceField(),
    ],
  },
});
