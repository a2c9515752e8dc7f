import { z } from "zod";
import { defineEvent } from "./definition";
import { pointsBalanceField } from "./flow-fields";
import { isoDate, isoDateTime, shortText } from "./primitives";

// VIP tier event (catalog row tier.updated; seed 000 "Tiers updated", whose change values the
// catalog keeps; seed 001 TierUpgraded/TierDowngraded for previous/current tier and locked-until).

/** tier.updated `change` (catalog row tier.updated; seed 000 "Tiers updated"). */
export const TIER_CHANGES = [
  "spending_upgrade",
  "spending_downgrade",
  "spending_extend",
  "spending_assign",
  "manual_assign",
] as const;

/**
 * tier.updated `reason`: why the tier changed (ADR 0054). `spend` the member reached the tier: an
 * order's spend, or for a tier in lifetime points, points (an order's or a bonus's);
 * `period_end` the review at the end of a tier period; `refund` / `cancellation` an order given
 * back undid an upgrade it had paid for; `program_change` the merchant's tier settings; `manual`
 * the admin or the Flow "Set VIP tier" action; `import` a member import from another app.
 */
export const TIER_CHANGE_REASONS = [
  "spend",
  "period_end",
  "refund",
  "cancellation",
  "program_change",
  "manual",
  "import",
] as const;

export const tierUpdated = defineEvent({
  type: "tier.updated",
  payload: z
    .object({
      change: z.enum(TIER_CHANGES),
      reason: z.enum(TIER_CHANGE_REASONS),
      /** Null when the member had no tier before. */
      previous_tier: shortText.nullable(),
      /** Null when the member dropped out of every tier. */
      current_tier: shortText.nullable(),
      /** When the member entered the current tier (catalog §4 loyalty_vip_tier_entry_date). */
      entry_date: isoDate,
      /** Manual assignment lock ("Set VIP tier" action's lock-until date); null when unlocked. */
      locked_until: isoDate.nullable(),
      /** When the tier drops without further spend; null when it never does. */
      expires_at: isoDateTime.nullable(),
    })
    .strict(),
  klaviyoMetric: "Loyalty Tier Updated",
  flowTrigger: {
    handle: "loyalty-tier-updated",
    name: "Tiers updated",
    description: "A member's VIP tier changed or was re-confirmed.",
    fields: [
      {
        key: "Change",
        type: "single_line_text_field",
        description: "What happened, e.g. spending_upgrade, spending_downgrade, manual_assign.",
        value: (p) => p.change,
      },
      {
        key: "Reason",
        type: "single_line_text_field",
        description:
          "Why: spend, period_end, refund, cancellation, program_change, manual or import.",
        value: (p) => p.reason,
      },
      {
        key: "Previous tier",
        type: "single_line_text_field",
        description: "Tier before the change; empty when none.",
        value: (p) => p.previous_tier,
      },
      {
        key: "Current tier",
        type: "single_line_text_field",
        description: "Tier after the change; empty when none.",
        value: (p) => p.current_tier,
      },
      {
        key: "Tier entry date",
        type: "single_line_text_field",
        description: "The date the member entered the current tier (YYYY-MM-DD).",
        value: (p) => p.entry_date,
      },
      {
        key: "Tier locked until",
        type: "single_line_text_field",
        description: "The date a manual assignment is locked until (YYYY-MM-DD); empty when none.",
        value: (p) => p.locked_until,
      },
      {
        key: "Tier expires at",
        type: "single_line_text_field",
        description: "When the tier drops without further spend (ISO 8601); empty when never.",
        value: (p) => p.expires_at,
      },
      pointsBalanceField(),
    ],
  },
});
