import { z } from "zod";
import { isProfileUrl, SOCIAL_NETWORK_NAMES, type SocialNetwork } from "../earning-actions/social";
import { CustomActionListSchema } from "./custom-actions";
import { twoDecimalRate } from "./decimal";
import { GoalListSchema } from "./goals";
import { TierListSchema } from "./tiers";

/**
 * Version of the stored config's shape. Bump it (and add a migration from the previous shape)
 * whenever a stored config would no longer parse; earn snapshots record it too, so an entry can
 * always be read with the rules it was made under.
 */
export const CONFIG_VERSION = 1 as const;

const points = z.int().min(0).max(1_000_000);
const days = z.int().min(1).max(3650);

export const RoundingModeSchema = z.enum(["down", "nearest", "up"]);
export type RoundingMode = z.infer<typeof RoundingModeSchema>;

export const EarningConfigSchema = z.strictObject({
  // Points per 1.00 of shop currency (per ¥1 for zero-decimal currencies). 0 turns earning off.
  pointsPerUnit: twoDecimalRate(0, 1000).default(1),
  rounding: RoundingModeSchema.default("down"),
  includeShipping: z.boolean().default(false),
  includeTax: z.boolean().default(false),
  // true: earn on what the customer paid for the goods; false: on list prices before discounts.
  deductDiscounts: z.boolean().default(true),
  // Buying a gift card is not spending: points are earned when the card is redeemed.
  includeGiftCards: z.boolean().default(false),
  // Only "paid" today; a field so a later "fulfilled" option is a config change, not a migration.
  earnOn: z.literal("paid").default("paid"),
  // Same id format the order adapter passes in OrderForEarning (compared as exact strings).
  excludedProductIds: z.array(z.string().min(1)).max(5000).default([]),
  excludedCollectionIds: z.array(z.string().min(1)).max(5000).default([]),
});
export type EarningConfig = z.infer<typeof EarningConfigSchema>;

/**
 * Products and collections as a merchant picks them (Shopify's numeric ids, from the resource
 * picker). Checked when the admin saves; a config saved before this check still reads.
 */
const PickedIds = z
  .array(z.string().regex(/^\d{1,20}$/, "validation.pickedId"))
  .max(5000)
  .default([]);
export const AdminEarningConfigSchema = EarningConfigSchema.extend({
  excludedProductIds: PickedIds,
  excludedCollectionIds: PickedIds,
});

const rewardHandle = z.string().min(1).max(60).nullable().default(null);

/**
 * A social follow (issue #23): the profile the widget opens and the points for following it,
 * once per member; 0 = off. The link must be https on that network's own domain.
 */
const socialFollow = (network: SocialNetwork) =>
  z
    .strictObject({
      url: z.string().trim().max(300).default(""),
      points: points.default(0),
    })
    .superRefine((value, ctx) => {
      const bad = value.url === "" ? value.points > 0 : !isProfileUrl(network, value.url);
      if (bad) {
        ctx.addIssue({
          code: "custom",
          path: ["url"],
          message: "validation.social.url",
          params: { network: SOCIAL_NETWORK_NAMES[network] },
        });
      }
    });

export const SocialConfigSchema = z.strictObject({
  instagram: socialFollow("instagram").prefault({}),
  tiktok: socialFollow("tiktok").prefault({}),
  facebook: socialFollow("facebook").prefault({}),
  x: socialFollow("x").prefault({}),
});

export const BonusConfigSchema = z.strictObject({
  // Account registration (customers/enable). 0 = off, for each bonus.
  welcomePoints: points.default(0),
  birthdayPoints: points.default(0),
  anniversaryPoints: points.default(0),
  // The first time a customer gives email marketing consent (subscribed), once per customer.
  newsletterPoints: points.default(0),
  // Catalog rewards granted without points (handles; null = none), each once per member and
  // occasion: on account registration, in the birth month (once a year), on entering a VIP tier.
  welcomeRewardHandle: rewardHandle,
  birthdayRewardHandle: rewardHandle,
  tierEntryRewardHandle: rewardHandle,
  // Follows clicked in the widget's Ways to earn, per network.
  social: SocialConfigSchema.prefault({}),
});

export const PendingConfigSchema = z.strictObject({
  // Earned points are held this many days before they can be spent (return window). 0 = off.
  days: z.int().min(0).max(365).default(0),
});

const expiringSchema = <K extends "inactivity" | "per_lot">(kind: K) =>
  z
    .strictObject({
      kind: z.literal(kind),
      days,
      // 0 = no reminder.
      reminderDaysBefore: z.int().min(0).max(365).default(0),
    })
    .refine((value) => value.reminderDaysBefore < value.days, {
      path: ["reminderDaysBefore"],
      message: "validation.expiry.reminderAfterExpiry",
    });

export const ExpiryConfigSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("none") }),
  // The whole balance expires N days after the member's last activity.
  expiringSchema("inactivity"),
  // Each earn entry (lot) expires N days after it was earned.
  expiringSchema("per_lot"),
]);
export type ExpiryConfig = z.infer<typeof ExpiryConfigSchema>;

export const TierRulesSchema = z.strictObject({
  // A member keeps a tier for this long after entering (or extending) it, then it is re-evaluated:
  // extended when the maintain threshold is met, otherwise downgraded.
  periodDays: days.default(365),
});

export const RefundPolicySchema = z.strictObject({
  // false: a clawback is clamped at the available balance and the shortfall recorded.
  // true: the balance may go negative (the merchant recovers points from future earning).
  allowNegativeBalance: z.boolean().default(false),
});

export const StoreCreditConfigSchema = z.strictObject({
  // Cashback as Shopify store credit when an order is paid (in addition to points; set
  // earning.pointsPerUnit to 0 for cashback instead of points). ADR 0030.
  enabled: z.boolean().default(false),
  // Basis points of the order's eligible amount (the earning basis): 500 = 5%. Rounded down.
  cashbackBasisPoints: z.int().min(0).max(10_000).default(0),
  // Orders whose eligible amount is below this (shop currency minor units) earn no cashback.
  minOrderMinor: z.int().min(0).max(100_000_000).default(0),
  // Credit expires this many days after it is issued; 0 = never.
  expiryDays: z.int().min(0).max(3650).default(0),
  // store_credit.expiring is sent this many days before a credit expires; 0 = no reminder.
  reminderDaysBefore: z.int().min(0).max(365).default(0),
});
export type StoreCreditConfig = z.infer<typeof StoreCreditConfigSchema>;

export const ProgramConfigSchema = z.strictObject({
  version: z.literal(CONFIG_VERSION).default(CONFIG_VERSION),
  // prefault (not default) so an omitted section is parsed and gets its own field defaults.
  earning: EarningConfigSchema.prefault({}),
  bonuses: BonusConfigSchema.prefault({}),
  pending: PendingConfigSchema.prefault({}),
  expiry: ExpiryConfigSchema.prefault({ kind: "none" }),
  tiers: TierListSchema.default([]),
  tierRules: TierRulesSchema.prefault({}),
  // Bonus points for the Nth order or a spend goal within a window, once per member (issue #23).
  goals: GoalListSchema.default([]),
  // Points for what Flow's "Add points for a custom action" reports, with a limit per period.
  customActions: CustomActionListSchema.default([]),
  refunds: RefundPolicySchema.prefault({}),
  storeCredit: StoreCreditConfigSchema.prefault({}),
});

export type ProgramConfig = z.infer<typeof ProgramConfigSchema>;
/** What a form or stored JSON may contain before defaults are applied. */
export type ProgramConfigInput = z.input<typeof ProgramConfigSchema>;

export const DEFAULT_PROGRAM_CONFIG: ProgramConfig = ProgramConfigSchema.parse({});
