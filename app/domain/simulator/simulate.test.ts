import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { ProgramConfigSchema, type ProgramConfigInput } from "../program";
import { dailyRunReviewing, simulateProgram } from "./simulate";

const config = (input: ProgramConfigInput = {}) => ProgramConfigSchema.parse(input);
const TIERS = [
  {
    id: "silver",
    name: "Silver",
    threshold: { kind: "lifetime_points" as const, points: 100 },
    earnMultiplier: 2,
    entryBonusPoints: 50,
  },
];
const base = { currency: "USD", timeZone: "UTC" };

describe("the daily run that reviews a tier period", () => {
  it("is the shop-local midnight the period ends at, or the next one", () => {
    const at = (iso: string) => dailyRunReviewing(new Date(iso), "America/New_York").toISOString();
    expect(at("2026-03-01T05:00:00Z")).toBe("2026-03-01T05:00:00.000Z");
    expect(at("2026-03-01T05:00:01Z")).toBe("2026-03-02T05:00:00.000Z");
    // The spring-forward day is 23 hours long in New York.
    expect(at("2026-03-08T12:00:00Z")).toBe("2026-03-09T04:00:00.000Z");
  });

  it("ends a tier at its period's end: an order before it earns with the tier, one after without", () => {
    // Silver from 2025-01-01 10:00 for a 400-day period, and no spend since to keep it: the review
    // at 2026-02-05 10:00 drops the tier (ADR 0054), whenever the daily run gets there.
    const spendTiers = [
      { ...TIERS[0]!, threshold: { kind: "spend_365d" as const, minor: 10_000 } },
    ];
    const program = config({ tiers: spendTiers, tierRules: { periodDays: 400 } });
    const multiplierOfOrderAt = (at: string) => {
      const result = simulateProgram(program, {
        ...base,
        orders: [
          { at: "2025-01-01T10:00:00Z", amountMinor: 12_000 },
          { at, amountMinor: 1_000 },
        ],
      });
      const earns = result.steps.filter((s) => s.kind === "earn");
      return earns[1]?.kind === "earn" ? earns[1].multiplier : undefined;
    };
    expect(multiplierOfOrderAt("2026-02-05T09:00:00Z")).toBe(2);
    expect(multiplierOfOrderAt("2026-02-05T11:00:00Z")).toBe(1);
  });
});

describe("simulateProgram", () => {
  it("gives store credit cashback at the rate above the minimum, and a refund takes back its share", () => {
    // GIVEN 5 % cashback on orders of 25.00 or more
    const program = config({
      storeCredit: { enabled: true, cashbackBasisPoints: 500, minOrderMinor: 2500 },
    });
    // WHEN a customer pays 20.00 (below the minimum) and 120.00, then 30.00 of it is refunded
    const result = simulateProgram(program, {
      ...base,
      orders: [
        { at: "2026-01-05T10:00:00Z", amountMinor: 2000 },
        {
          at: "2026-02-05T10:00:00Z",
          amountMinor: 12000,
          refunds: [{ at: "2026-02-10T10:00:00Z", amountMinor: 3000 }],
        },
      ],
    });
    // THEN 6.00 credited and a quarter of it (1.50) taken back: 4.50
    expect(result.storeCreditMinor).toBe(450);
    // AND with cashback off the same orders give none
    expect(
      simulateProgram(config(), {
        ...base,
        orders: [{ at: "2026-01-05T10:00:00Z", amountMinor: 12000 }],
      }).storeCreditMinor,
    ).toBe(0);
  });

  it("earns points per unit on each order with the configured rounding", () => {
    // GIVEN 1.5 points per dollar, rounded down
    const program = config({ earning: { pointsPerUnit: 1.5, rounding: "down" } });
    // WHEN a customer pays 10.99 then 20.00
    const result = simulateProgram(program, {
      ...base,
      orders: [
        { at: "2026-01-05T10:00:00Z", amountMinor: 1099 },
        { at: "2026-02-05T10:00:00Z", amountMinor: 2000 },
      ],
    });
    // THEN 16 (16.485 down) and 30 points
    expect(result.orderPoints).toEqual([16, 30]);
    expect(result.balance).toBe(46);
  });

  it("upgrades a tier, pays its entry bonus and applies its multiplier to later orders", () => {
    const program = config({ tiers: TIERS });
    const result = simulateProgram(program, {
      ...base,
      orders: [
        { at: "2026-01-01T00:00:00Z", amountMinor: 12_000 },
        { at: "2026-01-10T00:00:00Z", amountMinor: 1_000 },
      ],
    });
    expect(result.steps.map((s) => s.kind)).toEqual(["earn", "tier_change", "tier_bonus", "earn"]);
    expect(result.steps[3]).toMatchObject({ kind: "earn", points: 20, multiplier: 2 });
    expect(result.tierId).toBe("silver");
    expect(result.balance).toBe(120 + 50 + 20);
  });

  it("claws back a refund in proportion and clamps at the balance unless negative is allowed", () => {
    const orders = [
      {
        at: "2026-03-01T00:00:00Z",
        amountMinor: 10_000,
        refunds: [{ at: "2026-03-02T00:00:00Z", amountMinor: 2_500 }],
      },
    ];
    const result = simulateProgram(config(), { ...base, orders });
    expect(result.orderPoints).toEqual([75]);
    expect(result.steps[1]).toMatchObject({ kind: "clawback", points: 25, shortfall: 0 });
  });

  it("expires a lot after the per-lot days, at the start of the next shop-local day", () => {
    const program = config({ expiry: { kind: "per_lot", days: 30 } });
    const result = simulateProgram(program, {
      currency: "USD",
      timeZone: "America/New_York",
      orders: [{ at: "2026-01-10T15:00:00Z", amountMinor: 5_000 }],
      until: "2026-03-01T00:00:00Z",
    });
    const expiry = result.steps.find((s) => s.kind === "expiry");
    // Earned on 10 Jan (New York), usable through 9 Feb, gone at 00:00 New York on 10 Feb.
    expect(expiry).toMatchObject({ points: 50, at: new Date("2026-02-10T05:00:00Z") });
    expect(result.balance).toBe(0);
    expect(result.expired).toBe(50);
  });

  it("expires the whole balance after inactivity, counted from the last earn", () => {
    const program = config({ expiry: { kind: "inactivity", days: 10 } });
    const result = simulateProgram(program, {
      ...base,
      orders: [
        { at: "2026-01-01T12:00:00Z", amountMinor: 1_000 },
        { at: "2026-01-08T12:00:00Z", amountMinor: 1_000 },
      ],
      until: "2026-02-01T00:00:00Z",
    });
    expect(result.steps.at(-1)).toMatchObject({
      kind: "expiry",
      points: 20,
      at: new Date("2026-01-19T00:00:00Z"),
    });
  });

  it("rejects a refund larger than its order with the field's path", () => {
    const run = () =>
      simulateProgram(config(), {
        ...base,
        orders: [
          {
            at: "2026-01-01T00:00:00Z",
            amountMinor: 100,
            refunds: [{ at: "2026-01-02T00:00:00Z", amountMinor: 200 }],
          },
        ],
      });
    expect(run).toThrow(ZodError);
    try {
      run();
    } catch (error) {
      expect((error as ZodError).issues[0]?.path).toEqual(["orders", 0, "refunds"]);
    }
  });

  it("keeps the balance equal to the sum of its steps and never below zero", () => {
    const order = fc.record({
      day: fc.integer({ min: 0, max: 700 }),
      amountMinor: fc.integer({ min: 1, max: 500_000 }),
      refundShare: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(
        fc.array(order, { minLength: 1, maxLength: 8 }),
        fc.constantFrom("none", "inactivity", "per_lot"),
        (typed, expiryKind) => {
          const program = config({
            tiers: TIERS,
            expiry: expiryKind === "none" ? { kind: "none" } : { kind: expiryKind, days: 90 },
          });
          const start = Date.UTC(2026, 0, 1);
          const result = simulateProgram(program, {
            ...base,
            orders: typed.map((o) => ({
              at: new Date(start + o.day * 86_400_000),
              amountMinor: o.amountMinor,
              refunds:
                o.refundShare > 0
                  ? [
                      {
                        at: new Date(start + (o.day + 3) * 86_400_000),
                        amountMinor: Math.max(1, Math.floor((o.amountMinor * o.refundShare) / 100)),
                      },
                    ]
                  : [],
            })),
          });
          const sum = result.steps.reduce((total, step) => {
            if (step.kind === "earn" || step.kind === "tier_bonus") return total + step.points;
            if (step.kind === "clawback" || step.kind === "expiry") return total - step.points;
            if (step.kind === "tier_bonus_returned") return total - step.points;
            return total;
          }, 0);
          expect(result.balance).toBe(sum);
          expect(result.balance).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("goals in the simulator (issue #23)", () => {
  const GOALS = config({
    goals: [
      { id: "third-order", kind: "order_count", count: 3, points: 50 },
      { id: "spend-200", kind: "spend", minor: 200_00, windowDays: 30, points: 80 },
    ],
  });

  it("pays the 3rd order's bonus and the spend goal's once, at the order that reached each", () => {
    const result = simulateProgram(GOALS, {
      ...base,
      orders: [
        { at: "2026-01-01T10:00:00Z", amountMinor: 150_00 },
        { at: "2026-01-20T10:00:00Z", amountMinor: 60_00 },
        { at: "2026-03-01T10:00:00Z", amountMinor: 10_00 },
        { at: "2026-03-02T10:00:00Z", amountMinor: 10_00 },
      ],
    });
    expect(result.steps.filter((s) => s.kind.startsWith("goal"))).toEqual([
      {
        kind: "goal_bonus",
        at: new Date("2026-01-20T10:00:00Z"),
        goalId: "spend-200",
        order: 1,
        points: 80,
      },
      {
        kind: "goal_bonus",
        at: new Date("2026-03-01T10:00:00Z"),
        goalId: "third-order",
        order: 2,
        points: 50,
      },
    ]);
    expect(result.balance).toBe(150 + 60 + 10 + 10 + 80 + 50);
    expect(result.orderPoints).toEqual([150, 60, 10, 10]);
  });

  it("a refund in full of the 3rd order takes the bonus back; the next order earns it again", () => {
    const result = simulateProgram(GOALS, {
      ...base,
      orders: [
        { at: "2026-01-01T10:00:00Z", amountMinor: 10_00 },
        { at: "2026-02-01T10:00:00Z", amountMinor: 10_00 },
        {
          at: "2026-03-01T10:00:00Z",
          amountMinor: 10_00,
          refunds: [{ at: "2026-03-05T10:00:00Z", amountMinor: 10_00 }],
        },
        { at: "2026-04-01T10:00:00Z", amountMinor: 10_00 },
      ],
    });
    expect(
      result.steps
        .filter((s) => s.kind.startsWith("goal"))
        .map((s) => [s.kind, s.at.toISOString().slice(0, 10), "points" in s ? s.points : 0]),
    ).toEqual([
      ["goal_bonus", "2026-03-01", 50],
      ["goal_bonus_returned", "2026-03-05", 50],
      ["goal_bonus", "2026-04-01", 50],
    ]);
    expect(result.balance).toBe(3 * 10 + 50);
    expect(result.lifetimeEarned).toBe(3 * 10 + 50);
  });

  it("spend further apart than the window reaches nothing; no goals, no goal steps", () => {
    const orders = [
      { at: "2026-01-01T10:00:00Z", amountMinor: 150_00 },
      { at: "2026-02-15T10:00:00Z", amountMinor: 60_00 },
    ];
    expect(simulateProgram(GOALS, { ...base, orders }).balance).toBe(210);
    const withoutGoals = simulateProgram(config(), { ...base, orders: [...orders, ...orders] });
    expect(withoutGoals.steps.some((s) => s.kind.startsWith("goal"))).toBe(false);
  });
});

describe("a goal bonus in the simulator counts towards a lifetime-points tier", () => {
  it("reaches Silver (100 lifetime points) with the 2nd order's bonus", () => {
    const program = config({
      tiers: [{ ...TIERS[0]!, earnMultiplier: 1, entryBonusPoints: 0 }],
      goals: [{ id: "second-order", kind: "order_count", count: 2, points: 60 }],
    });
    const orders = [
      { at: "2026-01-01T10:00:00Z", amountMinor: 20_00 },
      { at: "2026-01-02T10:00:00Z", amountMinor: 20_00 },
    ];
    const result = simulateProgram(program, { ...base, orders });
    expect(result.lifetimeEarned).toBe(20 + 20 + 60);
    expect(result.tierId).toBe("silver");
    const without = simulateProgram(config({ tiers: program.tiers }), { ...base, orders });
    expect(without.tierId).toBe(null);
  });
});
