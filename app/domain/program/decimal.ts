import { z } from "zod";

// Rates (points per currency unit, tier multipliers) are entered as decimals in the admin form, but
// the earning maths runs on integers: a rate with at most two decimals is an exact count of
// hundredths, so `1.1 * 3` style float drift can never move a rounding boundary.
const EPSILON = 1e-9;

export function hasAtMostTwoDecimals(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value * 100 - Math.round(value * 100)) < EPSILON;
}

/** The rate as an exact integer count of hundredths (1.25 → 125). Throws if it is not exact. */
export function toHundredths(value: number): number {
  if (!hasAtMostTwoDecimals(value)) {
    throw new RangeError(`Expected a number with at most two decimals, got ${value}`);
  }
  return Math.round(value * 100);
}

export function twoDecimalRate(min: number, max: number) {
  return z
    .number()
    .min(min)
    .max(max)
    .refine(hasAtMostTwoDecimals, { message: "validation.decimal.twoPlaces" });
}
