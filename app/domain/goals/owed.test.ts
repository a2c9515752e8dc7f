import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GoalListSchema, ProgramConfigSchema, type Goal } from "../program/index";
import type { OrderSpend } from "../tiers/timeline-types";
import { goalBonusKey, goalsOwed, orderCounts } from "./index";

const DAY = 86_400_000;
const NOW = new Date("2026-06-01T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

function order(
  id: string,
  paidDaysAgo: number,
  goodsMinor: number,
  extra: Partial<OrderSpend> = {},
) {
  return {
    orderId: id,
    paidAt: daysAgo(paidDaysAgo),
    goodsMinor,
    refunds: [],
    cancelledAt: null,
    ...extra,
  } satisfies OrderSpend;
}

const THIRD: Goal = { id: "third-order", kind: "order_count", count: 3, points: 50 };
const SPEND: Goal = { id: "spend-200", kind: "spend", minor: 200_00, windowDays: 30, points: 80 };

describe("goalsOwed", () => {
  it("owes the Nth order goal once, reached by the Nth order by paid time", () => {
    const orders = [order("3", 1, 10_00), order("1", 30, 10_00), order("2", 20, 10_00)];
    expect(goalsOwed([THIRD], orders, NOW)).toEqual([
      { goalId: "third-order", points: 50, reachedBy: "3" },
    ]);
    expect(goalsOwed([THIRD], orders.slice(0, 2), NOW)).toEqual([
      { goalId: "third-order", points: 0, reachedBy: null },
    ]);
    // A fourth order does not owe it again.
    expect(goalsOwed([THIRD], [...orders, order("4", 0, 5_00)], NOW)[0]!.points).toBe(50);
  });

  it("does not count an order refunded in full or cancelled; a partly refunded one counts", () => {
    const refundedInFull = order("3", 1, 10_00, {
      refunds: [{ at: daysAgo(0), goodsMinor: 10_00 }],
    });
    const cancelled = order("3", 1, 10_00, { cancelledAt: daysAgo(0) });
    const partly = order("3", 1, 10_00, { refunds: [{ at: daysAgo(0), goodsMinor: 4_00 }] });
    const two = [order("1", 30, 10_00), order("2", 20, 10_00)];
    expect(goalsOwed([THIRD], [...two, refundedInFull], NOW)[0]!.points).toBe(0);
    expect(goalsOwed([THIRD], [...two, cancelled], NOW)[0]!.points).toBe(0);
    expect(goalsOwed([THIRD], [...two, partly], NOW)[0]).toEqual({
      goalId: "third-order",
      points: 50,
      reachedBy: "3",
    });
    // A fourth order takes the refunded one's place.
    expect(goalsOwed([THIRD], [...two, refundedInFull, order("4", 0, 1_00)], NOW)[0]).toEqual({
      goalId: "third-order",
      points: 50,
      reachedBy: "4",
    });
  });

  it("an order of no goods counts until refunded", () => {
    expect(orderCounts(order("1", 1, 0), NOW)).toBe(true);
    expect(
      orderCounts(order("1", 1, 0, { refunds: [{ at: daysAgo(0), goodsMinor: 0 }] }), NOW),
    ).toBe(false);
    // A refund after `now` is not known yet.
    expect(
      orderCounts(order("1", 2, 5_00, { refunds: [{ at: daysAgo(-1), goodsMinor: 5_00 }] }), NOW),
    ).toBe(true);
  });

  it("reaches a spend goal within the window ending at an order's paid time, not outside it", () => {
    const inside = [order("1", 40, 120_00), order("2", 11, 150_00)];
    expect(goalsOwed([SPEND], inside, NOW)[0]).toEqual({
      goalId: "spend-200",
      points: 80,
      reachedBy: "2",
    });
    // 30 days apart exactly: the window (paid time - 30 days, paid time] leaves the first out.
    const outside = [order("1", 41, 120_00), order("2", 11, 150_00)];
    expect(goalsOwed([SPEND], outside, NOW)[0]).toEqual({
      goalId: "spend-200",
      points: 0,
      reachedBy: null,
    });
    // Exactly the goal reaches it; refunded goods do not count.
    expect(goalsOwed([SPEND], [order("1", 5, 200_00)], NOW)[0]!.points).toBe(80);
    const refunded = order("1", 5, 250_00, { refunds: [{ at: daysAgo(1), goodsMinor: 60_00 }] });
    expect(goalsOwed([SPEND], [refunded], NOW)[0]!.points).toBe(0);
  });

  it("counts an edited order at its edited goods", () => {
    const edited = order("1", 5, 150_00, { edited: { at: daysAgo(4), goodsMinor: 210_00 } });
    expect(goalsOwed([SPEND], [edited], NOW)[0]!.points).toBe(80);
  });

  it("keys a goal's bonus per member and goal", () => {
    expect(goalBonusKey("m-1", "third-order")).toBe("goal:m-1:third-order");
  });
});

const orderArb = fc.record({
  id: fc.integer({ min: 1, max: 30 }),
  paidDaysAgo: fc.integer({ min: 0, max: 120 }),
  goodsMinor: fc.integer({ min: 0, max: 300_00 }),
  refunded: fc.integer({ min: 0, max: 300_00 }),
  cancelled: fc.boolean(),
});
const goalArb: fc.Arbitrary<Goal> = fc.oneof(
  fc.record({
    id: fc.constant("count"),
    kind: fc.constant("order_count" as const),
    count: fc.integer({ min: 2, max: 6 }),
    points: fc.integer({ min: 1, max: 500 }),
  }),
  fc.record({
    id: fc.constant("spend"),
    kind: fc.constant("spend" as const),
    minor: fc.integer({ min: 1, max: 800_00 }),
    windowDays: fc.integer({ min: 1, max: 90 }),
    points: fc.integer({ min: 1, max: 500 }),
  }),
);

describe("goalsOwed property", () => {
  it("owes the same whatever order the facts are given in", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(orderArb, { selector: (o) => o.id, maxLength: 12 }),
        goalArb,
        fc.func(fc.integer()),
        (specs, goal, rank) => {
          const orders = specs.map((s) =>
            order(String(s.id), s.paidDaysAgo, s.goodsMinor, {
              refunds: s.refunded > 0 ? [{ at: daysAgo(0), goodsMinor: s.refunded }] : [],
              cancelledAt: s.cancelled ? daysAgo(0) : null,
            }),
          );
          const shuffled = [...orders].sort(
            (a, b) => rank(a.orderId) - rank(b.orderId) || a.orderId.localeCompare(b.orderId),
          );
          const owed = goalsOwed([goal], orders, NOW);
          expect(goalsOwed([goal], shuffled, NOW)).toEqual(owed);
          expect(goalsOwed([goal], [...orders].reverse(), NOW)).toEqual(owed);
          // Owed is the goal's points exactly when reached, never anything else.
          expect(owed[0]!.points).toBe(owed[0]!.reachedBy === null ? 0 : goal.points);
        },
      ),
    );
  });
});

describe("GoalListSchema", () => {
  it("accepts both kinds and defaults to no goals", () => {
    expect(ProgramConfigSchema.parse({}).goals).toEqual([]);
    expect(GoalListSchema.parse([THIRD, SPEND])).toEqual([THIRD, SPEND]);
  });

  it.each([
    [{ ...THIRD, count: 1 }, "validation.goal.count"],
    [{ ...THIRD, count: 101 }, "validation.goal.count"],
    [{ ...SPEND, minor: 0 }, "validation.goal.minor"],
    [{ ...SPEND, windowDays: 0 }, "validation.goal.windowDays"],
    [{ ...SPEND, windowDays: 3651 }, "validation.goal.windowDays"],
    [{ ...THIRD, id: "Third Order" }, "validation.goal.id"],
    [{ ...THIRD, points: 0 }, "validation.goal.points"],
  ])("refuses %o with %s", (goal, message) => {
    const result = GoalListSchema.safeParse([goal]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it("refuses a duplicate id and more than ten goals", () => {
    const duplicate = GoalListSchema.safeParse([THIRD, { ...SPEND, id: THIRD.id }]);
    expect(duplicate.error?.issues).toMatchObject([
      { path: [1, "id"], message: "validation.goal.duplicateId", params: { id: "third-order" } },
    ]);
    const many = Array.from({ length: 11 }, (_, i) => ({ ...THIRD, id: `goal-${i}` }));
    expect(GoalListSchema.safeParse(many).error?.issues[0]?.message).toBe(
      "validation.goal.tooMany",
    );
  });
});
