import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heldPoints, pendingReleaseDate, spendablePoints } from "./index";

describe("pending period", () => {
  it("releases N shop-local days after the day earned, across month and leap-day ends", () => {
    expect(pendingReleaseDate({ year: 2028, month: 2, day: 20 }, 14)).toBe("2028-03-05");
    expect(pendingReleaseDate({ year: 2026, month: 12, day: 25 }, 7)).toBe("2027-01-01");
    expect(pendingReleaseDate({ year: 2026, month: 12, day: 25 }, 0)).toBeNull();
  });

  it("holds what the orders in their period still hold, never more than the balance", () => {
    expect(heldPoints([100, 40], 500)).toBe(140);
    // A fully refunded order (net 0) or one over-clawed (negative) holds nothing.
    expect(heldPoints([100, -20, 0], 500)).toBe(100);
    expect(heldPoints([100], 60)).toBe(60);
    expect(heldPoints([100], -10)).toBe(0);
  });

  it("held + spendable is the balance whenever the balance is not negative", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -500, max: 500 })), fc.nat(5000), (nets, balance) => {
        const held = heldPoints(nets, balance);
        expect(held).toBeGreaterThanOrEqual(0);
        expect(held + spendablePoints(balance, held)).toBe(balance);
      }),
    );
  });
});
