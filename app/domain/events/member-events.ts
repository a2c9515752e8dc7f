import { z } from "zod";
import { defineEvent } from "./definition";
import { pointsBalanceField } from "./flow-fields";
import {
  dayOfMonth,
  isoDateTime,
  isValidMonthDay,
  month,
  nonNegativeInt,
  shopifyNumericId,
  shortText,
} from "./primitives";

// Membership lifecycle, birthday and merge events (catalog rows member.*, birth_month.*,
// customer.merged; trigger semantics from seed 000).

/**
 * member.activated `source`: what made the customer a member first (ADR 0054): Shopify's
 * customer webhooks (created, updated, account enabled), a paid order, a merge, an import from
 * another app, a Flow action, or the storefront (theme, customer account), POS or staff opening
 * the customer's loyalty from Shopify admin's customer page, naming a customer the app had not seen.
 */
export const MEMBER_SOURCES = [
  "customer_created",
  "customer_updated",
  "account_registered",
  "order",
  "merge",
  "import",
  "shopify_flow_action",
  "storefront",
  "pos",
  "admin",
] as const;
export type MemberSource = (typeof MEMBER_SOURCES)[number];

export const memberActivated = defineEvent({
  type: "member.activated",
  // The catalog's key payload is the member snapshot itself; the payload adds when the
  // membership started (catalog §4 loyalty_member_since), whether an account exists yet, which
  // seed 000's "account registration reminder" flow needs, and what made the customer a member.
  payload: z
    .object({
      activated_at: isoDateTime,
      account_registered: z.boolean(),
      source: z.enum(MEMBER_SOURCES),
    })
    .strict(),
  klaviyoMetric: "Loyalty Member Activated",
  flowTrigger: {
    handle: "loyalty-member-activated",
    name: "Member activated",
    description: "A Shopify customer became a loyalty member.",
    fields: [
      {
        key: "Member since",
        type: "single_line_text_field",
        description: "When the membership started (ISO 8601 date-time).",
        value: (p) => p.activated_at,
      },
      {
        key: "Account registered",
        type: "boolean",
        description: "Whether the customer has already registered a store account.",
        value: (p) => p.account_registered,
      },
      {
        key: "Source",
        type: "single_line_text_field",
        description: `What made the customer a member: ${MEMBER_SOURCES.join(", ")}.`,
        value: (p) => p.source,
      },
      pointsBalanceField(),
    ],
  },
});

export const memberAccountRegistered = defineEvent({
  type: "member.account_registered",
  payload: z
    .object({
      /** 0 when the program gives no welcome bonus ("welcome bonus points (if any)"). */
      welcome_bonus_points: nonNegativeInt,
    })
    .strict(),
  klaviyoMetric: "Loyalty Account Registered",
  flowTrigger: {
    // "loyalty-member-account-registered" would be 33 characters; Flow allows 30.
    handle: "loyalty-account-registered",
    name: "Member account registered",
    description: "A loyalty member completed their store account registration.",
    fields: [
      {
        key: "Welcome bonus points",
        type: "number_decimal",
        description: "Points given as the welcome bonus; 0 when there was none.",
        value: (p) => p.welcome_bonus_points,
      },
      pointsBalanceField(),
    ],
  },
});

export const birthMonthCaptured = defineEvent({
  type: "birth_month.captured",
  payload: z
    .object({
      birth_month: month,
      /** Null when only the month was given. */
      birth_day: dayOfMonth.nullable(),
      /** Null the first time a birthday is captured; the old month when it was changed. */
      previous_birth_month: month.nullable(),
    })
    .strict()
    .refine((p) => p.birth_day === null || isValidMonthDay(p.birth_month, p.birth_day), {
      message: "birth_day does not exist in birth_month",
      path: ["birth_day"],
    }),
  // Seed 002 calls this event BirthdaySet; the catalog fixes the metric name.
  klaviyoMetric: "Loyalty Birthday Set",
  flowTrigger: {
    handle: "loyalty-birth-month-captured",
    name: "Birth month captured",
    description: "A loyalty member entered or changed their birthday.",
    fields: [
      {
        key: "Birth month",
        type: "number_decimal",
        description: "Birth month, 1 (January) to 12 (December).",
        value: (p) => p.birth_month,
      },
      {
        key: "Birth day",
        type: "number_decimal",
        description: "Day of the month of the birthday; 0 when the member gave only the month.",
        value: (p) => p.birth_day ?? 0,
      },
      {
        key: "First time",
        type: "boolean",
        description: "True when the member had no birthday on file before.",
        value: (p) => p.previous_birth_month === null,
      },
    ],
  },
});

export const birthMonthEntered = defineEvent({
  type: "birth_month.entered",
  payload: z
    .object({
      birth_month: month,
      birth_day: dayOfMonth.nullable(),
      /** The year this birthday month belongs to: the event fires once per member per year. */
      year: z.int().min(2000).max(9999),
      /** Birthday bonus points given now; 0 when none. */
      points_awarded: nonNegativeInt,
      /** The birthday reward issued now, if any (seed 000: "birthday reward discount code"). */
      reward_name: shortText.nullable(),
      reward_code: shortText.nullable(),
      reward_expires_at: isoDateTime.nullable(),
    })
    .strict(),
  klaviyoMetric: "Loyalty Birth Month Entered",
  flowTrigger: {
    handle: "loyalty-birth-month-entered",
    name: "Birth month entered",
    description: "A loyalty member's birth month started and their birthday benefits were issued.",
    fields: [
      {
        key: "Birth month",
        type: "number_decimal",
        description: "Birth month, 1 (January) to 12 (December).",
        value: (p) => p.birth_month,
      },
      {
        key: "Points awarded",
        type: "number_decimal",
        description: "Birthday bonus points given; 0 when none.",
        value: (p) => p.points_awarded,
      },
      {
        key: "Reward name",
        type: "single_line_text_field",
        description: "Name of the birthday reward issued; empty when none.",
        value: (p) => p.reward_name,
      },
      {
        key: "Reward code",
        type: "single_line_text_field",
        description: "Discount code of the birthday reward; empty when none.",
        value: (p) => p.reward_code,
      },
      {
        key: "Reward expires at",
        type: "single_line_text_field",
        description: "When the birthday reward expires (ISO 8601); empty when it does not.",
        value: (p) => p.reward_expires_at,
      },
      pointsBalanceField(),
    ],
  },
});

export const customerMerged = defineEvent({
  type: "customer.merged",
  payload: z
    .object({
      /** The customer Shopify kept (the event's customer). */
      kept_customer_id: shopifyNumericId,
      /** The customer Shopify merged away (no longer exists). */
      merged_customer_id: shopifyNumericId,
      /** Points the merged-away customer brought (may be negative, like any balance). */
      merged_points_balance: z.int(),
      combined_points_balance: z.int(),
      /** Tier after recomputing the combined history; null when in no tier. */
      current_tier: shortText.nullable(),
    })
    .strict()
    .refine((p) => p.kept_customer_id !== p.merged_customer_id, {
      message: "kept and merged customer must differ",
      path: ["merged_customer_id"],
    }),
  klaviyoMetric: "Loyalty Customer Merged",
  flowTrigger: {
    handle: "loyalty-customer-merged",
    name: "Customer merged",
    description: "Two customers were merged and their loyalty data was combined.",
    fields: [
      {
        key: "Merged customer ID",
        type: "single_line_text_field",
        description: "ID of the customer merged into this one (no longer exists).",
        value: (p) => p.merged_customer_id,
      },
      {
        key: "Combined points balance",
        type: "number_decimal",
        description: "Points balance after combining both customers.",
        value: (p) => p.combined_points_balance,
      },
      {
        key: "Current tier",
        type: "single_line_text_field",
        description: "VIP tier after the merge; empty when in no tier.",
        value: (p) => p.current_tier,
      },
    ],
  },
});
