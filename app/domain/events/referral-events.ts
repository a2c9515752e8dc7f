import { z } from "zod";
import { defineEvent } from "./definition";
import { pointsBalanceField } from "./flow-fields";
import {
  formattedText,
  isoDateTime,
  nonNegativeInt,
  shopifyNumericId,
  shortText,
} from "./primitives";

// Referral events (catalog rows referral.*). Names follow seed 001 (advocate_name, friend_name,
// referral_code) and seed 002 (referral_link → referral_url, as catalog §4 loyalty_referral_url).

export const referralSent = defineEvent({
  // An advocate invited a friend by email. For Klaviyo it is the friend's invitation: it lands on
  // the friend's profile (the address is read from the invitation at send time, ADR 0056) so a
  // flow can send it. Events from before invitations reached friends carry no invitation id and
  // stay on the advocate's profile.
  type: "referral.sent",
  payload: z
    .object({
      referral_code: shortText,
      referral_url: z.url({ protocol: /^https?$/ }),
      /** The invitation (ReferralInvite) whose address the email platform receives; null: none. */
      invitation_id: z.uuid().nullable().default(null),
      /** For the invitation's copy: "Grace invited you". Null when unknown. */
      advocate_first_name: shortText.nullable().default(null),
      /** What the friend gets for claiming; nulls when the program gives the friend nothing. */
      friend_reward_name: shortText.nullable().default(null),
      friend_reward_value_formatted: formattedText.nullable().default(null),
    })
    .strict(),
  klaviyoMetric: "Loyalty Referral Sent",
  // In Flow the trigger is about the advocate (the customer who invited): the friend's address is
  // kept only until the email platform has it (ADR 0056) and is not a Flow field.
  flowTrigger: {
    handle: "loyalty-referral-sent",
    name: "Referral sent",
    description: "A member invited a friend by email with their referral link.",
    fields: [
      {
        key: "Referral code",
        type: "single_line_text_field",
        description: "The member's referral code.",
        value: (p) => p.referral_code,
      },
      {
        key: "Referral URL",
        type: "url",
        description: "The member's referral link.",
        value: (p) => p.referral_url,
      },
      {
        key: "Friend reward name",
        type: "single_line_text_field",
        description: "What the friend gets for claiming; empty when nothing.",
        value: (p) => p.friend_reward_name,
      },
      {
        key: "Friend reward value",
        type: "single_line_text_field",
        description: "The friend's reward for display, e.g. $10.00 off; empty when nothing.",
        value: (p) => p.friend_reward_value_formatted,
      },
    ],
  },
});

export const referralAccepted = defineEvent({
  // On the friend: they claimed the referral and got their reward.
  type: "referral.accepted",
  payload: z
    .object({
      advocate_customer_id: shopifyNumericId,
      /** Null when the advocate's name is unknown. */
      advocate_name: shortText.nullable(),
      referral_code: shortText,
      /** The friend's reward; nulls when the program gives the friend nothing. */
      reward_name: shortText.nullable(),
      reward_code: shortText.nullable(),
      reward_value_formatted: formattedText.nullable(),
      reward_expires_at: isoDateTime.nullable(),
    })
    .strict(),
  klaviyoMetric: "Loyalty Referral Accepted",
  flowTrigger: {
    handle: "loyalty-referral-accepted",
    name: "Referral accepted",
    description: "A referred friend claimed their referral reward.",
    fields: [
      {
        key: "Advocate name",
        type: "single_line_text_field",
        description: "Name of the customer who referred them; empty when unknown.",
        value: (p) => p.advocate_name,
      },
      {
        key: "Referral code",
        type: "single_line_text_field",
        description: "The advocate's referral code that was used.",
        value: (p) => p.referral_code,
      },
      {
        key: "Reward name",
        type: "single_line_text_field",
        description: "Name of the friend's reward; empty when none.",
        value: (p) => p.reward_name,
      },
      {
        key: "Reward code",
        type: "single_line_text_field",
        description: "The friend's discount code; empty when none.",
        value: (p) => p.reward_code,
      },
      {
        key: "Reward value",
        type: "single_line_text_field",
        description: "The friend's reward value for display, e.g. $10.00 off; empty when none.",
        value: (p) => p.reward_value_formatted,
      },
      {
        key: "Reward expires at",
        type: "single_line_text_field",
        description: "When the friend's reward expires (ISO 8601); empty when it never does.",
        value: (p) => p.reward_expires_at,
      },
    ],
  },
});

export const referralCompleted = defineEvent({
  // On the advocate: the friend's qualifying order went through and the advocate was rewarded.
  type: "referral.completed",
  payload: z
    .object({
      friend_customer_id: shopifyNumericId,
      /** Null when the friend's name is unknown. */
      friend_name: shortText.nullable(),
      referral_code: shortText,
      /** The friend's qualifying order. */
      order_id: shopifyNumericId,
      order_name: shortText.nullable(),
      /** Points given to the advocate; 0 when the reward is not points. */
      points_awarded: nonNegativeInt,
      /** The advocate's reward when it is a reward (code, credit); nulls otherwise. */
      reward_name: shortText.nullable(),
      reward_code: shortText.nullable(),
      reward_value_formatted: formattedText.nullable(),
      /** The reward the friend was given for claiming the code; nulls when none was. */
      friend_reward_name: shortText.nullable(),
      friend_reward_code: shortText.nullable(),
    })
    .strict(),
  klaviyoMetric: "Loyalty Referral Completed",
  flowTrigger: {
    handle: "loyalty-referral-completed",
    name: "Referral completed",
    description: "A referred friend placed a qualifying order and the advocate was rewarded.",
    fields: [
      {
        key: "Friend name",
        type: "single_line_text_field",
        description: "Name of the referred friend; empty when unknown.",
        value: (p) => p.friend_name,
      },
      {
        key: "Order ID",
        type: "single_line_text_field",
        description: "Shopify order ID of the friend's qualifying order.",
        value: (p) => p.order_id,
      },
      {
        key: "Points awarded",
        type: "number_decimal",
        description: "Points given to the advocate; 0 when the reward is not points.",
        value: (p) => p.points_awarded,
      },
      {
        key: "Reward name",
        type: "single_line_text_field",
        description: "Name of the advocate's reward; empty when it is points only.",
        value: (p) => p.reward_name,
      },
      {
        key: "Reward code",
        type: "single_line_text_field",
        description: "The advocate's discount code; empty when none.",
        value: (p) => p.reward_code,
      },
      {
        key: "Reward value",
        type: "single_line_text_field",
        description: "The advocate's reward value for display; empty when points only.",
        value: (p) => p.reward_value_formatted,
      },
      {
        key: "Friend reward name",
        type: "single_line_text_field",
        description:
          "Name of the reward the friend was given for claiming the code; empty when none.",
        value: (p) => p.friend_reward_name,
      },
      pointsBalanceField(),
    ],
  },
});
