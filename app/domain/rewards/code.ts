/**
 * The checkout code of a redemption, derived from its id: a retry after a crash sends the same
 * code, so Shopify's uniqueness check (and a lookup by code) tells whether the first try created
 * it. 12 hex digits of a random UUID make collisions negligible; the unique (shopId, code) index
 * would refuse one anyway. Gift card codes must be 8–20 letters or digits, so they take 16. A
 * custom reward's code exists only in the app (the merchant's reference when fulfilling it); it
 * looks like a discount code because shoppers quote it at checkout or in an email.
 */
export function rewardCode(
  redemptionId: string,
  kind: "discount" | "gift_card" | "custom",
): string {
  const hex = redemptionId.replace(/-/g, "").toUpperCase();
  if (!/^[0-9A-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${redemptionId}`);
  return kind === "gift_card" ? hex.slice(0, 16) : `LOYAL-${hex.slice(0, 12)}`;
}
