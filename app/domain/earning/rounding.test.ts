import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateProportionally, divideRounded } from "./rounding";

describe("divideRounded", () => {
  it("rounds down, half up and up", () => {
    expect([5n, 6n, 7n].map((n) => divideRounded(n, 2n, "down"))).toEqual([2n, 3n, 3n]);
    expect([5n, 6n, 7n].map((n) => divideRounded(n, 2n, "nearest"))).toEqual([3n, 3n, 4n]);
    expect([5n, 6n, 7n].map((n) => divideRounded(n, 2n, "up"))).toEqual([3n, 3n, 4n]);
    expect(divideRounded(4n, 3n, "nearest")).toBe(1n);
  });

  it("agrees with exact small-number arithmetic", () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 1000 }), (n, d) => {
        expect(Number(divideRounded(BigInt(n), BigInt(d), "down"))).toBe(Math.floor(n / d));
        expect(Number(divideRounded(BigInt(n), BigInt(d), "up"))).toBe(Math.ceil(n / d));
        expect(Number(divideRounded(BigInt(n), BigInt(d), "nearest"))).toBe(
          Math.floor((2 * n + d) / (2 * d)),
        );
      }),
    );
  });

  it("refuses a negative numerator", () => {
    expect(() => divideRounded(-1n, 2n, "down")).toThrow(RangeError);
  });
});

describe("allocateProportionally", () => {
  it("splits to the cent and sums exactly", () => {
    expect(allocateProportionally(100, [1, 1, 1])).toEqual([34, 33, 33]);
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.array(fc.nat(100_000), { maxLength: 8 }),
        (total, weights) => {
          const parts = allocateProportionally(total, weights);
          const weightSum = weights.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(weightSum === 0 ? 0 : total);
          parts.forEach((part, i) => {
            expect(part).toBeGreaterThanOrEqual(0);
            if (weights[i] === 0) expect(part).toBe(0);
          });
        },
      ),
    );
  });
});
