import { minorUnitsPerUnit } from "./earning/currency";

/**
 * "49.90" in USD → 4990; "1200" in JPY → 1200. Shopify sends money as decimal strings; converting
 * through floats would turn 0.29 into 28 cents, so the string is split instead.
 */
export function toMinorUnits(amount: string, currency: string): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`not a money amount: "${amount}"`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const unit = minorUnitsPerUnit(currency);
  const digits = Math.round(Math.log10(unit));
  if (fraction.replace(/0+$/, "").length > digits) {
    throw new RangeError(`"${amount}" has more decimals than ${currency} allows`);
  }
  const minor = Number(whole) * unit + Number((fraction + "000").slice(0, digits) || "0");
  return sign === "-" ? -minor : minor;
}

/** Used when the shop's country is not known yet (a shop installed before it was stored). */
export const FALLBACK_MONEY_LOCALE = "en-US";

/**
 * The locale money is formatted in for a shop's customers: the most likely language of the shop's
 * country with that country as region (CLDR likely subtags: FR → fr-FR, CA → en-CA, CH → de-CH),
 * so "12,34 €" for a French shop and "$12.34" for an American one (ADR 0062).
 */
export function moneyLocale(countryCode: string | null | undefined): string {
  if (!countryCode || !/^[A-Z]{2}$/.test(countryCode)) return FALLBACK_MONEY_LOCALE;
  try {
    const likely = new Intl.Locale(`und-${countryCode}`).maximize();
    return likely.language && likely.language !== "und"
      ? `${likely.language}-${countryCode}`
      : FALLBACK_MONEY_LOCALE;
  } catch {
    return FALLBACK_MONEY_LOCALE;
  }
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(
    minor / minorUnitsPerUnit(currency),
  );
}

export function currencySymbol(currency: string, locale: string): string {
  const part = new Intl.NumberFormat(locale, { style: "currency", currency })
    .formatToParts(0)
    .find((p) => p.type === "currency");
  return part?.value ?? currency;
}

/** The store_credit.* events' money fields (seed 003's amount, symbol and balance), formatted. */
export function storeCreditMoney(
  amountMinor: number,
  balanceMinor: number,
  currency: string,
  locale: string,
) {
  return {
    amount_minor: amountMinor,
    currency,
    amount_formatted: formatMoney(amountMinor, currency, locale),
    symbol: currencySymbol(currency, locale),
    balance_minor: balanceMinor,
    balance_formatted: formatMoney(balanceMinor, currency, locale),
  };
}
