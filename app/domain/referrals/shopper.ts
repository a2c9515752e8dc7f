import type { RejectionReason } from "./rules";

// What a friend is told when a claim is refused, in plain words. The merchant's record of the
// same refusal (ReferralRejection.detail) names the rule; the shopper's words say what to do.
// The storefront widget shows its own translation of the reason and falls back to these.

/** Every reason a claim can be refused for: the fraud rules and the claim's own checks. */
export type ClaimRefusalReason =
  RejectionReason | "unknown_code" | "already_referred" | "program_off" | "own_code";

const SHOPPER_WORDS: Record<ClaimRefusalReason, string> = {
  own_code: "This is your own referral link: share it with friends and you earn when they order",
  self_referral:
    "This is your own referral link: share it with friends and you earn when they order",
  same_email:
    "This referral is for friends, and your account shares an email with the person who sent it",
  same_phone:
    "This referral is for friends, and your account shares a phone number with the person who sent it",
  same_address:
    "This referral is for friends, and your address is the same as the person who sent it",
  not_new_customer: "Referral rewards are for new customers, and you have ordered from us before",
  advocate_cap:
    "Your friend has reached the number of referrals allowed for now, so this link cannot be used",
  unknown_code: "This referral link is not valid: check it with the friend who sent it",
  already_referred: "You have already been referred by a friend, so this link cannot be used",
  program_off: "Referrals are not open in this shop right now",
};

export function shopperRefusal(reason: ClaimRefusalReason): string {
  return SHOPPER_WORDS[reason];
}

/** A referral code as the app makes them (REF-XXXXXXXX), before it is upper-cased. */
export const REFERRAL_CODE = /^[A-Za-z0-9-]{4,40}$/;
