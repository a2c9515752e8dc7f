/**
 * Shopify's search syntax, the part the stand-in reads (https://shopify.dev/docs/api/usage/search-syntax):
 * whitespace-separated terms ANDed together, each `field:value`, `field:>value` (also `>=`, `<`,
 * `<=`) or a bare word, values optionally quoted with ' or ". `AND` between terms is the default
 * connective and is skipped; `OR`, `NOT` and parentheses are not supported and say so.
 */
import { GraphQLError } from "graphql";

export type Comparator = "=" | ">" | ">=" | "<" | "<=";

export interface SearchTerm {
  /** Lower-cased field name; "" for a bare word. */
  field: string;
  comparator: Comparator;
  /** Unquoted value, case preserved. */
  value: string;
}

const TERM = /(?:([\w.]+):(<=|>=|<|>)?)?("[^"]*"|'[^']*'|\S+)/g;

export function parseSearch(query: unknown, connection: string): SearchTerm[] {
  const text = typeof query === "string" ? query.trim() : "";
  const terms: SearchTerm[] = [];
  for (const match of text.matchAll(TERM)) {
    const [, field = "", comparator = "", raw = ""] = match;
    if (!field && raw === "AND") continue;
    if (!field && (raw === "OR" || raw === "NOT" || raw.startsWith("(") || raw.startsWith("-"))) {
      throw notImplemented(connection, `the search connective "${raw}"`);
    }
    terms.push({
      field: field.toLowerCase(),
      comparator: (comparator || "=") as Comparator,
      value: raw.replace(/^(["'])(.*)\1$/, "$2"),
    });
  }
  return terms;
}

export function compare(actual: number, comparator: Comparator, expected: number): boolean {
  switch (comparator) {
    case "=":
      return actual === expected;
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
  }
}

/**
 * A time filter's value as milliseconds. Date-only values are read as UTC midnight (Shopify reads
 * them in the shop's time zone; the stand-in does not model that), `now` is the request's instant.
 */
export function timeValue(value: string, now: Date, connection: string): number {
  if (value.toLowerCase() === "now") return now.getTime();
  const parsed = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(parsed)) throw notImplemented(connection, `the time value "${value}"`);
  return parsed;
}

export function notImplemented(connection: string, what: string): GraphQLError {
  return new GraphQLError(
    `The Shopify stand-in does not implement ${what} in \`${connection}(query:)\`; ` +
      "add it in sandbox/shopify/admin-graphql/",
    { extensions: { code: "STAND_IN_NOT_IMPLEMENTED" } },
  );
}
