/**
 * Scalars as Shopify's Admin API writes them: global ids (`gid://shopify/Customer/123`) and
 * `Decimal` money amounts (strings such as "10.0" or "19.99").
 */
import { GraphQLError } from "graphql";

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

export interface ParsedGid {
  type: string;
  id: number;
}

/** Shopify answers an id that is not a global id with a coercion error, not with `null`. */
export function parseGid(value: unknown): ParsedGid {
  const match = typeof value === "string" ? /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(value) : null;
  if (!match?.[1] || !match[2]) {
    throw new GraphQLError(`Invalid global id '${String(value)}'`, {
      extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
    });
  }
  return { type: match[1], id: Number(match[2]) };
}

/** Like `parseGid`, but returns null for a well-formed id of another resource type. */
export function idOfType(value: unknown, type: string): number | null {
  const parsed = parseGid(value);
  return parsed.type === type ? parsed.id : null;
}

/**
 * A `Decimal` input (string or number) in hundredths, rounded half away from zero; null when it is
 * not a decimal. The stand-in keeps two decimals for every currency.
 */
export function decimalToCents(value: unknown): number | null {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== "string" || !/^-?\d+(\.\d+)?$/.test(text.trim())) return null;
  const [whole = "0", fraction = ""] = text.trim().replace("-", "").split(".");
  const padded = fraction.padEnd(3, "0");
  const cents = Number(whole) * 100 + Number(padded.slice(0, 2)) + (Number(padded[2]) >= 5 ? 1 : 0);
  return text.trim().startsWith("-") && cents !== 0 ? -cents : cents;
}

/** Shopify's Decimal output: no trailing zeros, but at least one decimal ("10.0", "10.5"). */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  const fraction = String(abs % 100)
    .padStart(2, "0")
    .replace(/0$/, "");
  return `${sign}${Math.floor(abs / 100)}.${fraction || "0"}`;
}

export interface MoneyV2 {
  amount: string;
  currencyCode: string;
}

export function moneyV2(cents: number, currencyCode: string): MoneyV2 {
  return { amount: centsToDecimal(cents), currencyCode };
}

/** A REST-style amount ("12.50") as MoneyV2. */
export function moneyFromRest(amount: string, currencyCode: string): MoneyV2 {
  return moneyV2(decimalToCents(amount) ?? 0, currencyCode);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
