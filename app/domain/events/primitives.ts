import { z } from "zod";

// Building blocks shared by every payload schema, so one rule (e.g. "money is integer minor units")
// is written once. Conventions, fixed by docs/event-catalog.md being a public contract:
// - keys are snake_case because they become Klaviyo event properties verbatim;
// - `*_at` keys are ISO 8601 date-times with an offset, `*_date` keys (and `locked_until`, which the
//   "Set VIP tier" Flow action takes as a date) are ISO calendar dates (YYYY-MM-DD);
// - money is `*_minor` (integer minor units) next to a `currency` and, where the catalog says
//   "formatted", a `*_formatted` display string;
// - `null` means "unknown / not applicable" (seed 001's "Never" expiry becomes null).

/** A Shopify numeric resource id (customer, order). Strings, because the ids are 64-bit. */
export const shopifyNumericId = z.string().regex(/^[1-9]\d*$/, "expected a Shopify numeric id");

/** Points moved by one ledger entry: always a positive amount; the event type carries the sign. */
export const pointsAmount = z.int().positive();

/** A count that may be zero (e.g. welcome bonus when there is none, points spent on a free reward). */
export const nonNegativeInt = z.int().nonnegative();

/** Integer minor units (cents). Never floats: amounts are summed and compared. */
export const moneyMinor = z.int().nonnegative();

/** ISO 4217 code, the `currency` of seed 003 ("USD"). */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, "expected an ISO 4217 currency code");

/** Human-readable amount for emails ("$36.85", seed 003 formattedAmount). */
export const formattedText = z.string().min(1).max(100);

/** A short display string (tier names, reward names, codes, notes). */
export const shortText = z.string().min(1).max(255);

export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();

/** Calendar month 1–12 (birth month). */
export const month = z.int().min(1).max(12);
/** Day of month 1–31; checked against the month where both are present. */
export const dayOfMonth = z.int().min(1).max(31);

/** Days in each month; February allows 29 so a leap-day birthday can be captured. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function isValidMonthDay(monthNumber: number, day: number): boolean {
  const max = DAYS_IN_MONTH[monthNumber - 1];
  return max !== undefined && day >= 1 && day <= max;
}

/**
 * Converts integer minor units to a decimal amount in major units (1234 USD → 12.34, 500 JPY →
 * 500) for Flow `number_decimal` fields, where merchants write conditions like "Amount > 10".
 * The exponent comes from Intl (ICU's ISO 4217 data), which is part of the JS runtime, not I/O.
 */
export function minorToDecimal(amountMinor: number, currency: string): number {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  return Number((amountMinor / 10 ** digits).toFixed(digits));
}
