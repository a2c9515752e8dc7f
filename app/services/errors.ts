/**
 * Errors a merchant, a Flow builder or a shopper can act on, each with a stable code. Routes map
 * them to HTTP statuses and copy in one place; anything else is a bug and stays a 500.
 */
export class LoyaltyError extends Error {
  constructor(
    readonly code: LoyaltyErrorCode,
    message: string,
    /** What the other side said (Shopify's userErrors text), for the merchant, never a shopper. */
    readonly detail?: string,
    /** Values for the copy (`{available}`), when the message is a copy key the admin translates. */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = "LoyaltyError";
  }
}

/**
 * A refused referral claim. `reason` names the rule (unknown_code, not_new_customer, …) so the
 * storefront can say why in the shopper's language; the message is the shopper's English words,
 * `detail` the merchant's (recorded in ReferralRejection).
 */
export class ReferralRefused extends LoyaltyError {
  constructor(
    readonly reason: string,
    message: string,
    detail: string,
  ) {
    super("referral_rejected", message, detail);
  }
}

export type LoyaltyErrorCode =
  | "member_not_found"
  | "insufficient_points"
  | "invalid_input"
  | "unknown_tier"
  | "reward_not_found"
  /** Disabled, not for the member's tier, or the member already holds the limit. */
  | "reward_unavailable"
  /** Shopify refused to create the reward (userErrors); the points were returned. */
  | "reward_rejected"
  /** Shopify was unreachable, throttled or timed out; the points were returned (or will be). */
  | "shopify_unavailable"
  /** The same request is still being processed (a retry arrived while the first runs). */
  | "redemption_in_progress"
  /** A referral claim broke a fraud rule or the program is off (the reason is recorded). */
  | "referral_rejected"
  /** Klaviyo refused the key (401): wrong account, revoked, or not a private key. */
  | "klaviyo_key_invalid"
  /** The key lacks a scope the app needs (403). */
  | "klaviyo_scopes_missing"
  | "klaviyo_not_connected"
  /** "Connect with Klaviyo" needs the app's OAuth client (KLAVIYO_CLIENT_ID/SECRET). */
  | "klaviyo_oauth_unavailable"
  /** The authorization came back denied, expired, forged or already used; nothing was stored. */
  | "klaviyo_oauth_failed"
  /** Klaviyo could not be reached or kept failing; nothing was stored. */
  | "klaviyo_unavailable"
  /** Omnisend refused the API key (401): mistyped, or deleted in Omnisend. */
  | "omnisend_key_invalid"
  /** The key lacks a scope the app needs (403): contacts read/write and events write. */
  | "omnisend_scopes_missing"
  /** Omnisend could not be reached or kept failing; nothing was stored. */
  | "omnisend_unavailable"
  /** No import with this id in the shop. */
  | "import_not_found"
  /** A way to earn the member has used up (a custom action's limit per period, a social follow). */
  | "limit_reached";

/** The one mapping of error codes to HTTP statuses (storefront, admin and Flow answers). */
export const LOYALTY_ERROR_STATUS: Record<LoyaltyErrorCode, number> = {
  member_not_found: 404,
  insufficient_points: 422,
  invalid_input: 422,
  unknown_tier: 422,
  reward_not_found: 404,
  reward_unavailable: 422,
  reward_rejected: 422,
  shopify_unavailable: 503,
  redemption_in_progress: 409,
  referral_rejected: 422,
  klaviyo_key_invalid: 422,
  klaviyo_scopes_missing: 422,
  klaviyo_not_connected: 409,
  klaviyo_oauth_unavailable: 409,
  klaviyo_oauth_failed: 400,
  klaviyo_unavailable: 503,
  omnisend_key_invalid: 422,
  omnisend_scopes_missing: 422,
  omnisend_unavailable: 503,
  import_not_found: 404,
  limit_reached: 409,
};
