import { z } from "zod";
import {
  currencyCode,
  moneyMinor,
  nonNegativeInt,
  shopifyNumericId,
  shortText,
} from "./primitives";

/**
 * The member's state right after the event, attached to every event. Seed 001 puts the same set
 * on every event (customer_email/phone/first_name/last_name, loyalty_card_balance,
 * store_credit_balance, vip_tier); the lifetime totals come from seed 002
 * (stamped_lifetime_points_earned/_spent). Sent to Klaviyo as `member_*` properties (klaviyo.ts).
 */
export const MemberSnapshot = z
  .object({
    /** Shopify customer id (legacyResourceId) as a string: 64-bit ids do not fit every consumer. */
    customer_id: shopifyNumericId,
    email: z.email().nullable(),
    phone: z.string().min(1).max(64).nullable(),
    first_name: z.string().min(1).max(255).nullable(),
    last_name: z.string().min(1).max(255).nullable(),
    /** May go negative: the "Subtract loyalty points" Flow action can allow it (catalog §3). */
    points_balance: z.int(),
    /** Null when the shop has no store credit (the currency is then null too). */
    store_credit_balance_minor: moneyMinor.nullable(),
    store_credit_currency: currencyCode.nullable(),
    /** VIP tier name; null when the member is in no tier. */
    vip_tier: shortText.nullable(),
    /** Manual adjustments excluded (catalog §4, seed 002). */
    lifetime_points_earned: nonNegativeInt,
    lifetime_points_spent: nonNegativeInt,
  })
  .strict()
  .refine((s) => (s.store_credit_balance_minor === null) === (s.store_credit_currency === null), {
    message: "store_credit_balance_minor and store_credit_currency are both set or both null",
    path: ["store_credit_currency"],
  });

export type MemberSnapshot = z.output<typeof MemberSnapshot>;

/**
 * The numeric customer id Flow expects as `customer_id` (shopify-platform.md §3: legacyResourceId,
 * a JSON number). Shopify's ids are far below 2^53 today; refuse rather than silently round.
 */
export function flowCustomerId(snapshot: MemberSnapshot): number {
  const id = Number(snapshot.customer_id);
  if (!Number.isSafeInteger(id)) {
    throw new RangeError(`customer id ${snapshot.customer_id} is not a safe integer for Flow`);
  }
  return id;
}
