import fc from "fast-check";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { ProgramConfigSchema, type ProgramConfigInput } from "~/domain/program/index";
import { dailyRunReviewing, simulateProgram } from "~/domain/simulator/index";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { reconcileOrder } from "~/services/orders/apply.server";
import { ensureShop } from "~/services/shops/ensure.server";

// The settings simulator promises "this is what the engine would do". This replays the same random
// orders and refunds through the real order service (reconcileOrder, with `now` at each fact) and
// the real daily job (runDailyMaintenance with its clock at each shop-local midnight a tier period
// has ended by) on the test database, and compares per-order points, balance, lifetime points and
// tier. The daily job is run only on the days it reviews a tier: on the others it does nothing
// the comparison sees (no expiry is configured; releasing pending points leaves the balance).

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);
/** The simulation's end: past the last refund, so periods end after the last fact too. */
const UNTIL = new Date(START + 470 * DAY);
const TIME_ZONE = "UTC";
let runs = 0;
let nextCustomer = 1_000;
let nextOrder = 5_000_000;
let nextRefund = 9_000_000;

const tierArb = fc
  .record({
    kind: fc.constantFrom("lifetime_points", "spend_365d"),
    steps: fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 0, maxLength: 3 }),
    multipliers: fc.array(fc.constantFrom(1, 1.25, 1.5, 2, 3), { minLength: 3, maxLength: 3 }),
    bonuses: fc.array(fc.constantFrom(0, 10, 100), { minLength: 3, maxLength: 3 }),
  })
  .map(({ kind, steps, multipliers, bonuses }) => {
    let bar = 0;
    return steps.map((step, index) => {
      bar += step * (kind === "spend_365d" ? 100 : 1);
      return {
        id: `t${index}`,
        name: `Tier ${index}`,
        threshold:
          kind === "spend_365d"
            ? { kind: "spend_365d" as const, minor: bar }
            : { kind: "lifetime_points" as const, points: bar },
        earnMultiplier: multipliers[index]!,
        entryBonusPoints: bonuses[index]!,
      };
    });
  });

// Goals (issue #23): the Nth order and spend within a window.
const goalsArb = fc.uniqueArray(
  fc.oneof(
    fc.record({
      id: fc.constant("orders"),
      kind: fc.constant("order_count" as const),
      count: fc.integer({ min: 2, max: 4 }),
      points: fc.constantFrom(10, 100, 1000),
    }),
    fc.record({
      id: fc.constant("spend"),
      kind: fc.constant("spend" as const),
      minor: fc.integer({ min: 1, max: 800_000 }),
      windowDays: fc.constantFrom(1, 30, 365),
      points: fc.constantFrom(10, 100, 1000),
    }),
  ),
  { selector: (goal) => goal.id, maxLength: 2 },
);

const programArb = fc
  .record({
    earning: fc.record({
      pointsPerUnit: fc.constantFrom(0.5, 1, 1.25, 3, 10),
      rounding: fc.constantFrom("down" as const, "nearest" as const, "up" as const),
    }),
    tiers: tierArb,
    // Periods end inside the ~470 simulated days, before and after refunds (issue #8).
    tierRules: fc.record({ periodDays: fc.constantFrom(30, 90, 365) }),
    pending: fc.record({ days: fc.constantFrom(0, 14) }),
    refunds: fc.record({ allowNegativeBalance: fc.boolean() }),
    goals: goalsArb,
  })
  // The services date a bonus at the wall clock, not at this test's simulated `now`: a goal
  // bonus would count towards lifetime-points tiers at the wrong instant here, so those programs
  // run without goals (the simulator's unit tests cover a goal bonus reaching a points tier).
  .map((program) =>
    program.tiers[0]?.threshold.kind === "lifetime_points" ? { ...program, goals: [] } : program,
  );

const ordersArb = fc.array(
  fc.record({
    day: fc.integer({ min: 0, max: 400 }),
    amountMinor: fc.integer({ min: 1, max: 400_000 }),
    refundPercent: fc.constantFrom(0, 0, 10, 50, 100),
    refundAfterDays: fc.integer({ min: 0, max: 60 }),
  }),
  { minLength: 1, maxLength: 5 },
);

type Fact =
  | { at: Date; kind: "paid"; orderId: bigint; amountMinor: number }
  | { at: Date; kind: "refund"; orderId: bigint; amountMinor: number };

/** Runs the daily job at each midnight, up to `until`, on which the member's tier period has ended. */
async function runDailyReviewsUntil(shopId: string, customerId: bigint, until: Date) {
  for (let guard = 0; guard < 1000; guard++) {
    const member = await prisma.member.findUnique({
      where: { shopId_customerId: { shopId, customerId } },
      select: { tierPeriodEndsAt: true },
    });
    if (!member?.tierPeriodEndsAt) return;
    const run = dailyRunReviewing(member.tierPeriodEndsAt, TIME_ZONE);
    if (run.getTime() > until.getTime()) return;
    await runDailyMaintenance(shopId, run);
    const after = await prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId, customerId } },
      select: { tierPeriodEndsAt: true },
    });
    // The review moved the period on (or ended it); if it did not, the job would loop forever.
    expect(after.tierPeriodEndsAt?.getTime()).not.toBe(member.tierPeriodEndsAt.getTime());
  }
}

async function runThroughServices(program: ProgramConfigInput, facts: Fact[], customerId: bigint) {
  // A shop per case, so each daily run maintains this case's member only.
  const shopId = (await ensureShop(prisma, `simulator-agreement-${++runs}.myshopify.com`)).id;
  await prisma.programVersion.create({
    data: { shopId, version: 1, config: ProgramConfigSchema.parse(program) },
  });
  for (const fact of facts) {
    await runDailyReviewsUntil(shopId, customerId, fact.at);
    await prisma.$transaction(async (tx) => {
      if (fact.kind === "paid") {
        const earning = {
          currency: "USD",
          lines: [
            {
              lineItemId: "1",
              productId: null,
              collectionIds: [],
              quantity: 1,
              unitPriceMinor: fact.amountMinor,
              discountMinor: 0,
              giftCard: false,
            },
          ],
          shippingMinor: 0,
          taxMinor: 0,
          orderLevelDiscountMinor: 0,
        };
        await tx.orderRecord.create({
          data: {
            shopId,
            orderId: fact.orderId,
            customerId,
            currency: "USD",
            paidAt: fact.at,
            orderVersion: fact.at,
            spendMinor: fact.amountMinor,
            order: {
              earning,
              name: null,
              customer: { email: null, phone: null, firstName: null, lastName: null },
            },
          },
        });
      } else {
        await tx.refundRecord.create({
          data: {
            shopId,
            orderId: fact.orderId,
            refundId: BigInt(++nextRefund),
            lines: [],
            amount: JSON.stringify([(fact.amountMinor / 100).toFixed(2)]),
            amountMinor: fact.amountMinor,
            createdAt: fact.at,
          },
        });
      }
      await reconcileOrder(tx, shopId, fact.orderId, fact.at);
    });
  }
  await runDailyReviewsUntil(shopId, customerId, UNTIL);
  return shopId;
}

/**
 * Cases the property once failed on. A lifetime-points tier entered, left at its review after a
 * refund, and entered again: its entry bonus is owed once (the simulator paid it twice).
 */
const FAILED_ONCE: [unknown, unknown][] = [
  [
    {
      earning: { pointsPerUnit: 0.5, rounding: "down" },
      tiers: [
        {
          id: "t0",
          name: "Tier 0",
          threshold: { kind: "lifetime_points", points: 101 },
          earnMultiplier: 1,
          entryBonusPoints: 100,
        },
      ],
      tierRules: { periodDays: 30 },
      pending: { days: 0 },
      refunds: { allowNegativeBalance: false },
    },
    [
      { day: 0, amountMinor: 20200, refundPercent: 100, refundAfterDays: 33 },
      { day: 143, amountMinor: 156694, refundPercent: 100, refundAfterDays: 52 },
    ],
  ],
];

describe("the settings simulator agrees with the engine", () => {
  it("gives the same points per order, balance, lifetime points and tier for random orders", async () => {
    await fc.assert(
      fc.asyncProperty(programArb, ordersArb, async (program, typed) => {
        const customerId = BigInt(++nextCustomer);
        const orders = typed
          .sort((a, b) => a.day - b.day)
          .map((o, index) => {
            const at = new Date(START + o.day * DAY + index * 60_000);
            const refundMinor = Math.floor((o.amountMinor * o.refundPercent) / 100);
            return {
              orderId: BigInt(++nextOrder),
              at,
              amountMinor: o.amountMinor,
              refunds:
                refundMinor > 0
                  ? [
                      {
                        at: new Date(at.getTime() + o.refundAfterDays * DAY + 1000),
                        amountMinor: refundMinor,
                      },
                    ]
                  : [],
            };
          });
        const facts: Fact[] = orders
          .flatMap((o): Fact[] => [
            { at: o.at, kind: "paid", orderId: o.orderId, amountMinor: o.amountMinor },
            ...o.refunds.map((r): Fact => ({
              at: r.at,
              kind: "refund",
              orderId: o.orderId,
              amountMinor: r.amountMinor,
            })),
          ])
          .sort((a, b) => a.at.getTime() - b.at.getTime());

        const simulated = simulateProgram(ProgramConfigSchema.parse(program), {
          currency: "USD",
          timeZone: TIME_ZONE,
          orders: orders.map(({ at, amountMinor, refunds }) => ({ at, amountMinor, refunds })),
          until: UNTIL,
        });
        const shopId = await runThroughServices(program, facts, customerId);

        const member = await prisma.member.findUnique({
          where: { shopId_customerId: { shopId, customerId } },
        });
        const perOrder = await Promise.all(
          orders.map(async (o) => {
            const sum = await prisma.ledgerEntry.aggregate({
              where: { shopId, orderId: o.orderId },
              _sum: { points: true },
            });
            return sum._sum.points ?? 0;
          }),
        );
        expect(perOrder).toEqual(simulated.orderPoints);
        expect(member?.pointsBalance ?? 0).toBe(simulated.balance);
        expect(member?.lifetimeEarned ?? 0).toBe(simulated.lifetimeEarned);
        expect(member?.tierId ?? null).toBe(simulated.tierId);
      }),
      { numRuns: 25, examples: FAILED_ONCE },
    );
  }, 240_000);
});
