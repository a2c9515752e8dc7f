/** The largest id a Shopify customer id can be here: PostgreSQL's signed 64-bit BIGINT. */
const MAX_CUSTOMER_ID = 9_223_372_036_854_775_807n;

/**
 * A Shopify customer id as people and Shopify write it: the number (`7012345678`) or its GID
 * (`gid://shopify/Customer/7012345678`). Null for anything else, for 0, and for a number no
 * customer id can be.
 */
export function parseCustomerId(value: unknown): bigint | null {
  const match = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,19})$/.exec(String(value ?? "").trim());
  if (!match) return null;
  const id = BigInt(match[1]!);
  return id === 0n || id > MAX_CUSTOMER_ID ? null : id;
}
