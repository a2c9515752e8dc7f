/**
 * Errors a merchant, a Flow builder or a shopper can act on, each with a stable code. Routes map
 * them to HTTP statuses and copy in one place; anything else is a bug and stays a 500.
 */
export class LoyaltyError extends Error {
  constructor(
    readonly code:
      | "member_not_found"
      | "insufficient_points"
      | "invalid_input"
      | "unknown_tier"
      | "klaviyo_key_invalid"
      | "klaviyo_scopes_missing"
      | "klaviyo_not_connected"
      | "klaviyo_unavailable",
    message: string,
  ) {
    super(message);
    this.name = "LoyaltyError";
  }
}
