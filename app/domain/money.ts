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
