import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { earnForOrder } from "../earning";
import { ProgramConfigSchema } from "../program";
import { RewardDefinitionSchema } from "../rewards";
import { pointsForPrice, programSummary } from "./program-summary";

const noReferral = { enabled: false, advocatePoints: 0 };

describe("programSummary", () => {
  it("lists each goal under the ways to earn: the Nth order, and spend within a window", () => {
    const config = ProgramConfigSchema.parse({
      earning: { pointsPerUnit: 0 },
      goals: [
        { id: "third-order", kind: "order_count", count: 3, points: 50 },
        { id: "spend-200", kind: "spend", minor: 200_00, windowDays: 30, points: 80 },
      ],
    });

    expect(programSummary(config, "USD", noReferral).waysToEarn).toEqual([
      { kind: "goal_orders", count: 3, points: 50 },
      { kind: "goal_spend", minor: 200_00, days: 30, points: 80 },
    ]);
  });

  it("lists each custom action switched on in Settings by its name and points, after the follows", () => {
    const config = ProgramConfigSchema.parse({
      earning: { pointsPerUnit: 0 },
      bonuses: { social: { x: { url: "https://x.com/shop", points: 10 } } },
      customActions: [
        { name: "Leave a product review", points: 50, limit: 3, period: "month" },
        { name: "Answer the survey", points: 0 },
        { name: "Share a photo", points: 1 },
      ],
      goals: [{ id: "third-order", kind: "order_count", count: 3, points: 30 }],
    });

    expect(programSummary(config, "USD", noReferral).waysToEarn).toEqual([
      { kind: "social", network: "x", name: "X", url: "https://x.com/shop", points: 10 },
      { kind: "custom", name: "Leave a product review", points: 50 },
      { kind: "custom", name: "Share a photo", points: 1 },
      { kind: "goal_orders", count: 3, points: 30 },
    ]);
  });

  it("lists only the ways to earn that give points, with integer maths for Liquid", () => {
    const config = ProgramConfigSchema.parse({
      earning: { pointsPerUnit: 1.25, rounding: "nearest" },
      bonuses: {
        welcomePoints: 100,
        birthdayPoints: 0,
        anniversaryPoints: 50,
        newsletterPoints: 25,
      },
      tiers: [{ id: "gold", name: "Gold", threshold: { kind: "lifetime_points", points: 1000 } }],
    });

    const summary = programSummary(config, "jpy", { enabled: true, advocatePoints: 200 });

    expect(summary).toMatchObject({
      pointsPerUnitHundredths: 125,
      currency: "JPY",
      minorPerUnit: 1,
      divisor: 100,
      rounding: "nearest",
    });
    expect(summary.waysToEarn).toEqual([
      { kind: "purchase", pointsPerUnit: 1.25 },
      { kind: "welcome", points: 100 },
      { kind: "anniversary", points: 50 },
      { kind: "newsletter", points: 25 },
      { kind: "referral", points: 200 },
    ]);
    expect(summary.tiers).toEqual([
      { name: "Gold", threshold: { kind: "lifetime_points", value: 1000 } },
    ]);
  });

  it("lists each social follow that has points and a link, with its network and link", () => {
    const config = ProgramConfigSchema.parse({
      earning: { pointsPerUnit: 0 },
      bonuses: {
        social: {
          instagram: { url: "https://www.instagram.com/shop", points: 20 },
          tiktok: { url: "https://www.tiktok.com/@shop", points: 0 },
          x: { url: "https://x.com/shop", points: 5 },
        },
      },
    });

    expect(programSummary(config, "USD", noReferral).waysToEarn).toEqual([
      {
        kind: "social",
        network: "instagram",
        name: "Instagram",
        url: "https://www.instagram.com/shop",
        points: 20,
      },
      { kind: "social", network: "x", name: "X", url: "https://x.com/shop", points: 5 },
    ]);
  });

  it("refuses a follow link that is not https on the network's domain, or points without a link", () => {
    const parse = (social: unknown) => ProgramConfigSchema.safeParse({ bonuses: { social } });

    expect(parse({ facebook: { url: "https://facebook.com/shop", points: 10 } }).success).toBe(
      true,
    );
    expect(parse({ facebook: { url: "http://facebook.com/shop", points: 10 } }).success).toBe(
      false,
    );
    expect(parse({ tiktok: { url: "https://instagram.com/shop", points: 10 } }).success).toBe(
      false,
    );
    expect(parse({ x: { url: "", points: 10 } }).success).toBe(false);
    expect(parse({ x: { url: "", points: 0 } }).success).toBe(true);
  });

  it("leaves purchases out when earning is off", () => {
    const config = ProgramConfigSchema.parse({ earning: { pointsPerUnit: 0 } });
    expect(programSummary(config, "USD", noReferral).waysToEarn).toEqual([]);
  });

  it("lists the enabled rewards cheapest first for the signed-out rewards page", () => {
    const config = ProgramConfigSchema.parse({});
    const catalog = [
      { type: "fixed_amount", handle: "big", name: "$50 off", pointsCost: 5000, amountMinor: 5000 },
      {
        type: "fixed_amount",
        handle: "off",
        name: "Retired",
        pointsCost: 10,
        amountMinor: 100,
        enabled: false,
      },
      {
        type: "pay_with_points",
        handle: "pay",
        name: "Pay with points",
        minPoints: 100,
        maxPoints: 1000,
        pointsPerStep: 100,
        amountMinorPerStep: 100,
      },
      { type: "percentage", handle: "pct", name: "10% off", pointsCost: 150, percentage: 10 },
      { type: "fixed_amount", handle: "five", name: "$5 off", pointsCost: 150, amountMinor: 500 },
    ].map((r) => RewardDefinitionSchema.parse(r));

    expect(programSummary(config, "USD", noReferral, catalog).rewards).toEqual([
      { name: "Pay with points", points: 100 },
      { name: "10% off", points: 150 },
      { name: "$5 off", points: 150 },
      { name: "$50 off", points: 5000 },
    ]);
    // The widget's own answers list rewards themselves: no catalog, no list.
    expect(programSummary(config, "USD", noReferral)).not.toHaveProperty("rewards");
  });
});

describe("pointsForPrice", () => {
  it("rounds the way the program says", () => {
    const at = (rounding: "down" | "nearest" | "up") =>
      programSummary(
        ProgramConfigSchema.parse({ earning: { pointsPerUnit: 1, rounding } }),
        "USD",
        noReferral,
      );
    expect(pointsForPrice(at("down"), 1999)).toBe(19);
    expect(pointsForPrice(at("nearest"), 1950)).toBe(20);
    expect(pointsForPrice(at("nearest"), 1949)).toBe(19);
    expect(pointsForPrice(at("up"), 1901)).toBe(20);
    expect(pointsForPrice(at("up"), 1900)).toBe(19);
  });

  it("equals what one unit of the product earns in an order (no tier)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100_000 }).map((h) => h / 100),
        fc.constantFrom("down", "nearest", "up"),
        fc.constantFrom("USD", "JPY", "KWD"),
        (price, pointsPerUnit, rounding, currency) => {
          const config = ProgramConfigSchema.parse({ earning: { pointsPerUnit, rounding } });
          const earned = earnForOrder(
            {
              currency,
              lines: [
                {
                  lineItemId: "1",
                  productId: null,
                  collectionIds: [],
                  quantity: 1,
                  unitPriceMinor: price,
                  discountMinor: 0,
                  giftCard: false,
                },
              ],
              shippingMinor: 0,
              taxMinor: 0,
              orderLevelDiscountMinor: 0,
            },
            config,
            1,
          ).points;
          expect(pointsForPrice(programSummary(config, currency, noReferral), price)).toBe(earned);
        },
      ),
    );
  });
});
