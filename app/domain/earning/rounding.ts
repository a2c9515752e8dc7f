import type { RoundingMode } from "../program/config";

/**
 * numerator ÷ denominator rounded by `mode`, on BigInt so that products of large amounts and
 * rates stay exact ("nearest" is half up). Both operands must be non-negative.
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (numerator < 0n || denominator <= 0n) {
    throw new RangeError("divideRounded needs a non-negative numerator and a positive denominator");
  }
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n || mode === "down") return quotient;
  if (mode === "up") return quotient + 1n;
  return 2n * remainder >= denominator ? quotient + 1n : quotient;
}

/** Splits `total` over `weights` proportionally; the parts are integers and sum to `total` exactly. */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((acc, weight) => acc + BigInt(weight), 0n);
  if (total <= 0 || sum === 0n) return weights.map(() => 0);
  const totalBig = BigInt(total);
  const floors = weights.map((weight) => (BigInt(weight) * totalBig) / sum);
  const remainders = weights.map((weight) => (BigInt(weight) * totalBig) % sum);
  let left = totalBig - floors.reduce((acc, part) => acc + part, 0n);
  // Largest remainder first, ties to the earlier line, so the split is deterministic.
  const order = weights
    .map((_, index) => index)
    .sort((a, b) => {
      const ra = remainders[a] ?? 0n;
      const rb = remainders[b] ?? 0n;
      return ra === rb ? a - b : rb > ra ? 1 : -1;
    });
  for (const index of order) {
    if (left === 0n) break;
    floors[index] = (floors[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return floors.map(Number);
}
