import { minorUnitsPerUnit } from "~/domain/earning/currency";

/** Minor units as the decimal a merchant types ("12.50" for 1250 USD cents). */
export function formatMinor(minor: number, currency: string): string {
  const unit = minorUnitsPerUnit(currency);
  const decimals = Math.round(Math.log10(unit));
  return (minor / unit).toFixed(decimals);
}

/**
 * A typed decimal as minor units, or the text itself when it is not a number (the schema then
 * reports "Enter a number" on the field instead of the form silently keeping the old value).
 */
export function parseMinor(text: string, currency: string): number | string {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return trimmed;
  return Math.round(Number(trimmed) * minorUnitsPerUnit(currency));
}

/** A typed number, or the text when it is not one (see parseMinor). */
export function parseNumber(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== "" && /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}
