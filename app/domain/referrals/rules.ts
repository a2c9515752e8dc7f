import { z } from "zod";

// Referral program (issue #4 scope 5): settings and the fraud rules, pure. `now` is passed in.

export const ReferralProgramSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Catalog reward granted to the friend on claiming; null = none. */
  friendRewardHandle: z.string().min(1).max(60).nullable().default(null),
  /** Points for the advocate when the friend's first qualifying order is paid. */
  advocatePoints: z.int().min(0).max(1_000_000).default(0),
  /** Catalog reward granted to the advocate then too (a code, store credit…); null = none. */
  advocateRewardHandle: z.string().min(1).max(60).nullable().default(null),
  /** The friend's order must reach this (minor units) to complete the referral. */
  minimumOrderMinor: z.int().min(0).default(0),
  /** At most `count` accepted referrals per advocate within `periodDays`; null = no cap. */
  advocateCap: z
    .strictObject({ count: z.int().positive().max(10_000), periodDays: z.int().min(1).max(3650) })
    .nullable()
    .default(null),
});
export type ReferralProgram = z.infer<typeof ReferralProgramSchema>;

export interface ReferralParty {
  customerId: bigint;
  email: string | null;
  phone: string | null;
  /** Fingerprint of the normalised address (see address.ts); null when unknown. */
  addressKey: string | null;
}

export interface ReferralFacts {
  advocate: ReferralParty;
  friend: ReferralParty;
  /** Paid orders the friend had before claiming. */
  friendPriorOrders: number;
  /** The advocate's accepted referrals (claim times), for the cap. */
  advocateReferralTimes: Date[];
}

export type RejectionReason =
  | "self_referral"
  | "same_email"
  | "same_phone"
  | "same_address"
  | "not_new_customer"
  | "advocate_cap";

export type ReferralVerdict = { ok: true } | { ok: false; reason: RejectionReason; detail: string };

const email = (value: string | null) => value?.trim().toLowerCase() || null;
/** Digits only, so "+1 (555) 000-1111" and "15550001111" are the same phone. */
const phone = (value: string | null) => value?.replace(/\D/g, "") || null;

/** The first fraud rule the claim breaks, or ok. Order: cheapest and most certain first. */
export function assessReferral(
  program: ReferralProgram,
  facts: ReferralFacts,
  now: Date,
): ReferralVerdict {
  const { advocate, friend } = facts;
  if (advocate.customerId === friend.customerId) {
    return { ok: false, reason: "self_referral", detail: "A customer cannot refer themselves" };
  }
  if (email(advocate.email) && email(advocate.email) === email(friend.email)) {
    return { ok: false, reason: "same_email", detail: "The friend has the advocate's email" };
  }
  if (phone(advocate.phone) && phone(advocate.phone) === phone(friend.phone)) {
    return { ok: false, reason: "same_phone", detail: "The friend has the advocate's phone" };
  }
  if (sameAddress(advocate, friend)) return SAME_ADDRESS;
  if (facts.friendPriorOrders > 0) {
    return {
      ok: false,
      reason: "not_new_customer",
      detail: "Referrals are for new customers; the friend has ordered before",
    };
  }
  const cap = program.advocateCap;
  if (cap) {
    const since = now.getTime() - cap.periodDays * 86_400_000;
    const recent = facts.advocateReferralTimes.filter((t) => t.getTime() > since).length;
    if (recent >= cap.count) {
      return {
        ok: false,
        reason: "advocate_cap",
        detail: `The advocate reached ${cap.count} referrals in ${cap.periodDays} days`,
      };
    }
  }
  return { ok: true };
}

const SAME_ADDRESS = {
  ok: false,
  reason: "same_address",
  detail: "The friend has the advocate's address",
} as const;

export function sameAddress(advocate: ReferralParty, friend: ReferralParty): boolean {
  return advocate.addressKey !== null && advocate.addressKey === friend.addressKey;
}

/**
 * The check at the friend's first qualifying order: the order ships to the advocate's address.
 * Claims are checked against the friend's saved address, which a new account often lacks.
 */
export function assessCompletion(advocate: ReferralParty, shippingAddressKey: string | null) {
  if (advocate.addressKey !== null && advocate.addressKey === shippingAddressKey) {
    return {
      ok: false,
      reason: "same_address",
      detail: "The friend's order ships to the advocate's address",
    } as const;
  }
  return { ok: true } as const;
}

/** A readable, unambiguous code (no 0/O, 1/I) from random bytes the caller supplies. */
export function referralCodeFrom(bytes: Uint8Array): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return `REF-${Array.from(bytes.slice(0, 8), (b) => alphabet[b % alphabet.length]).join("")}`;
}
