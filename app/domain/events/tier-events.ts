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

export const tierUpdated = defineEvent({
  type: "tier.updated",
  payload: z
    .object({
      change: z.enum(TIER_CHANGES),
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
