import { minorUnitsPerUnit } from "../earning/currency";

/** 500 USD → "5.00", 500 JPY → "500": the decimal strings Shopify's MoneyInput and Decimal take. */
export function minorToDecimalString(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an integer amount: ${minor}`);
  const unit = minorUnitsPerUnit(currency);
  const digits = Math.round(Math.log10(unit));
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / unit);
  if (digits === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(abs % unit).padStart(digits, "0")}`;
}
