import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ProgramConfigInput } from "../program/config";
import { ProgramConfigSchema } from "../program/config";
import { earnForOrder } from "./earn";
import { EarningInputError } from "./errors";
import { EarnSnapshotSchema } from "./snapshot";
import { configArb, multiplierArb, orderArb, testLine, testOrder } from "./test-arbitraries";

const config = (earning: NonNullable<ProgramConfigInput["earning"]> = {}) =>
  ProgramConfigSchema.parse({ earning });

const line = testLine;
const order = testOrder;

describe("earnForOrder: examples", () => {
  it("earns 1 point per 1.00, rounded down, by default", () => {
    // GIVEN a 12.99 order with shipping and tax WHEN earning with the default program
    const result = earnForOrder(
      order([line({ unitPriceMinor: 1299 })], { shippingMinor: 500, taxMinor: 104 }),
      config(),
      1,
    );
    // THEN shipping and tax are left out and 12.99 earns 12
    expect(result.points).toBe(12);
    expect(result.basisMinor).toBe(1299);
    expect(result.nonLineBasisMinor).toBe(0);
  });

  it.each([
    ["down", 62],
    ["nearest", 63],
    ["up", 63],
  ] as const)("rounds %s: 10.00 × 5 points × 1.25 = 62.5 → %i", (rounding, expected) => {
    const result = earnForOrder(
      order([line({ unitPriceMinor: 1000 })]),
      config({ pointsPerUnit: 5, rounding }),
      1.25,
    );
    expect(result.points).toBe(expected);
  });

  it("is exact where floating point is not (30.00 × 2.3 = 69, not 68.999…)", () => {
    expect((3000 * 2.3) / 100).toBeLessThan(69); // the trap this guards against
    const result = earnForOrder(
      order([line({ unitPriceMinor: 3000 })]),
      config({ pointsPerUnit: 2.3 }),
      1,
    );
    expect(result.points).toBe(69);
  });

  it("reads the rate per unit of the order's currency (yen, dinar)", () => {
    const yen = earnForOrder(
      order([line({ unitPriceMinor: 1000 })], { currency: "JPY" }),
      config(),
      1,
    );
    const dinar = earnForOrder(
      order([line({ unitPriceMinor: 12_345 })], { currency: "KWD" }),
      config(),
      1,
    );
    expect(yen.points).toBe(1000);
    expect(dinar.points).toBe(12);
    expect(dinar.snapshot.minorUnitsPerUnit).toBe(1000);
  });

  it("includes shipping and tax only when the program says so", () => {
    const o = order([line({ unitPriceMinor: 1000 })], { shippingMinor: 500, taxMinor: 250 });
    expect(earnForOrder(o, config({ includeShipping: true }), 1).points).toBe(15);
    expect(earnForOrder(o, config({ includeTax: true }), 1).points).toBe(12);
    const both = earnForOrder(o, config({ includeShipping: true, includeTax: true }), 1);
    expect(both.nonLineBasisMinor).toBe(750);
    expect(both.points).toBe(17);
  });

  it("earns after line and order-level discounts, or before them when configured", () => {
    const o = order(
      [
        line({ lineItemId: "a", quantity: 2, unitPriceMinor: 1000, discountMinor: 500 }),
        line({ lineItemId: "b", unitPriceMinor: 1500 }),
      ],
      { orderLevelDiscountMinor: 1000 },
    );
    const after = earnForOrder(o, config(), 1);
    // Net 1500 + 1500; the 10.00 order discount splits 500 / 500.
    expect(after.lines).toEqual([
      { lineItemId: "a", quantity: 2, basisMinor: 1000 },
      { lineItemId: "b", quantity: 1, basisMinor: 1000 },
    ]);
    expect(after.points).toBe(20);
    expect(earnForOrder(o, config({ deductDiscounts: false }), 1).points).toBe(35);
  });

  it("gives excluded products, collections and gift cards a zero basis but lists them", () => {
    const o = order([
      line({ lineItemId: "kept", productId: "p1", unitPriceMinor: 1000 }),
      line({ lineItemId: "product", productId: "p2", unitPriceMinor: 1000 }),
      line({
        lineItemId: "collection",
        productId: "p3",
        collectionIds: ["c9"],
        unitPriceMinor: 1000,
      }),
      line({ lineItemId: "card", productId: null, giftCard: true, unitPriceMinor: 5000 }),
    ]);
    const result = earnForOrder(
      o,
      config({ excludedProductIds: ["p2"], excludedCollectionIds: ["c9"] }),
      1,
    );
    expect(result.lines.map((l) => [l.lineItemId, l.basisMinor])).toEqual([
      ["kept", 1000],
      ["product", 0],
      ["collection", 0],
      ["card", 0],
    ]);
    expect(result.points).toBe(10);
    expect(earnForOrder(o, config({ includeGiftCards: true }), 1).points).toBe(80);
  });

  it("never lets a discount larger than the goods make the basis negative", () => {
    const o = order([line({ unitPriceMinor: 1000, discountMinor: 5000 })], {
      orderLevelDiscountMinor: 99_999,
      shippingMinor: 300,
    });
    const result = earnForOrder(o, config({ includeShipping: true }), 1);
    expect(result.lines[0]?.basisMinor).toBe(0);
    expect(result.points).toBe(3);
  });

  it("stores a snapshot that survives a JSON round trip through its schema", () => {
    const result = earnForOrder(order([line({ unitPriceMinor: 4321 })]), config(), 1.5);
    const stored = EarnSnapshotSchema.parse(JSON.parse(JSON.stringify(result.snapshot)));
    expect(stored).toEqual(result.snapshot);
    expect(stored).toMatchObject({
      configVersion: 1,
      multiplier: 1.5,
      points: 64,
      basisMinor: 4321,
    });
  });

  it("rejects impossible input instead of guessing", () => {
    const ok = order([line({ unitPriceMinor: 100 })]);
    expect(() => earnForOrder(ok, config(), 0.5)).toThrow(EarningInputError);
    expect(() => earnForOrder(ok, config(), 1.255)).toThrow(EarningInputError);
    expect(() => earnForOrder(order([line(), line()]), config(), 1)).toThrow(/repeated/);
    expect(() => earnForOrder(order([line({ quantity: -1 })]), config(), 1)).toThrow(/quantity/);
    expect(() => earnForOrder(order([line({ quantity: 1.5 })]), config(), 1)).toThrow(/quantity/);
  });
});

describe("earnForOrder: properties", () => {
  it("earns a non-negative integer, and the basis is the sum of its parts", () => {
    fc.assert(
      fc.property(orderArb, configArb, multiplierArb, (o, c, m) => {
        const result = earnForOrder(o, c, m);
        expect(Number.isSafeInteger(result.points)).toBe(true);
        expect(result.points).toBeGreaterThanOrEqual(0);
        expect(result.lines.every((l) => l.basisMinor >= 0)).toBe(true);
        const lineSum = result.lines.reduce((sum, l) => sum + l.basisMinor, 0);
        expect(result.basisMinor).toBe(lineSum + result.nonLineBasisMinor);
        expect(result.snapshot.points).toBe(result.points);
        expect(EarnSnapshotSchema.safeParse(result.snapshot).success).toBe(true);
      }),
    );
  });

  it("gives excluded products, collections and unincluded gift cards a basis of 0", () => {
    fc.assert(
      fc.property(orderArb, configArb, multiplierArb, (o, c, m) => {
        const result = earnForOrder(o, c, m);
        o.lines.forEach((input, index) => {
          const excluded =
            (input.giftCard && !c.earning.includeGiftCards) ||
            (input.productId !== null && c.earning.excludedProductIds.includes(input.productId)) ||
            input.collectionIds.some((id) => c.earning.excludedCollectionIds.includes(id));
          if (excluded) expect(result.lines[index]?.basisMinor).toBe(0);
        });
      }),
    );
  });

  it("earns the same when an excluded line is added to the cart", () => {
    const excludedLine = line({ lineItemId: "extra", productId: "p1", unitPriceMinor: 9999 });
    fc.assert(
      fc.property(orderArb, configArb, multiplierArb, (o, c, m) => {
        // GIVEN no order-level discount (which an added line would share)
        const base = { ...o, orderLevelDiscountMinor: 0 };
        const withExcluded = { ...base, lines: [...base.lines, excludedLine] };
        const rules = { ...c, earning: { ...c.earning, excludedProductIds: ["p1"] } };
        expect(earnForOrder(withExcluded, rules, m).points).toBe(
          earnForOrder(base, rules, m).points,
        );
      }),
    );
  });

  it("never earns less with a higher tier multiplier", () => {
    fc.assert(
      fc.property(orderArb, configArb, multiplierArb, multiplierArb, (o, c, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(earnForOrder(o, c, low).points).toBeLessThanOrEqual(earnForOrder(o, c, high).points);
      }),
    );
  });

  it("orders the rounding modes down ≤ nearest ≤ up ≤ down + 1", () => {
    fc.assert(
      fc.property(orderArb, configArb, multiplierArb, (o, c, m) => {
        const at = (rounding: "down" | "nearest" | "up") =>
          earnForOrder(o, { ...c, earning: { ...c.earning, rounding } }, m).points;
        const [down, nearest, up] = [at("down"), at("nearest"), at("up")];
        expect(down).toBeLessThanOrEqual(nearest);
        expect(nearest).toBeLessThanOrEqual(up);
        expect(up - down).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("takes exactly the whole order-level discount off when nothing is excluded", () => {
    fc.assert(
      fc.property(orderArb, (o) => {
        const plain = { ...o, lines: o.lines.map((l) => ({ ...l, giftCard: false })) };
        const result = earnForOrder(plain, config(), 1);
        const net = plain.lines.reduce(
          (sum, l) => sum + Math.max(0, l.quantity * l.unitPriceMinor - l.discountMinor),
          0,
        );
        expect(result.basisMinor).toBe(Math.max(0, net - plain.orderLevelDiscountMinor));
      }),
    );
  });
});
