// The settings simulator's tier replay: the engine's timeline (ADR 0054) over the orders a merchant
// types, each one line of its amount, each refund an amount without lines.
import type { z } from "zod";
import { cumulativeClawback, earnForOrder } from "../earning";
import { goalsOwed } from "../goals";
import type { ProgramConfig } from "../program";
import { deriveTierTimeline, earnMultiplierFor, type OrderSpend } from "../tiers";
import type { SimulationInputSchema } from "./input";

/**
 * The engine's tier replay over the typed orders (an order of one line, refunds without lines:
 * each gives back its amount of goods); for points tiers, each order's points at the multiplier
 * of the tier it was paid in, less what its refunds known by then took back.
 */
export function tierTimeline(
  config: ProgramConfig,
  input: z.output<typeof SimulationInputSchema>,
  now: Date,
  /** Points credited outside orders (goal bonuses), each at its instant: lifetime points too. */
  bonuses: readonly { at: Date; points: number }[] = [],
) {
  const facts = orderFacts(input);
  const pointsTiers = config.tiers[0]?.threshold.kind === "lifetime_points";
  return deriveTierTimeline({
    checkpoint: null,
    orders: facts,
    programs: [{ from: null, rules: config.tiers, periodDays: config.tierRules.periodDays }],
    now,
    ...(pointsTiers
      ? {
          pointsEarnedAt: bonuses.map((bonus) => bonus.at),
          lifetimePoints: (
            at: Date,
            knownAt: Date,
            tierAtOrder: ReadonlyMap<string, string | null>,
          ) =>
            input.orders.reduce(
              (sum, order, index) => {
                if (order.at.getTime() > at.getTime()) return sum;
                const multiplier = earnMultiplierFor(
                  config.tiers,
                  tierAtOrder.get(String(index)) ?? null,
                );
                const { snapshot } = earnForOrder(
                  singleLineOrder(input.currency, order.amountMinor),
                  config,
                  multiplier,
                );
                const known = order.refunds
                  .filter((refund) => refund.at.getTime() <= knownAt.getTime())
                  .map((refund, n) => ({
                    refundId: String(n + 1),
                    lines: [],
                    amountMinor: refund.amountMinor,
                  }));
                return sum + snapshot.points - cumulativeClawback(snapshot, known);
              },
              bonusesUntil(bonuses, at),
            ),
        }
      : {}),
  });
}

function bonusesUntil(bonuses: readonly { at: Date; points: number }[], at: Date): number {
  return bonuses
    .filter((bonus) => bonus.at.getTime() <= at.getTime())
    .reduce((sum, bonus) => sum + bonus.points, 0);
}

/**
 * What goals post after each instant's facts (issue #23), before the balance clamps a take-back:
 * a goal's bonus when reached, minus it when a refund undoes it (reconcileGoals' differences).
 */
export function goalChanges(
  config: ProgramConfig,
  facts: readonly OrderSpend[],
  instants: readonly Date[],
): { at: Date; goalId: string; points: number; reachedBy: string | null }[] {
  const held = new Map<string, number>();
  const changes: { at: Date; goalId: string; points: number; reachedBy: string | null }[] = [];
  if (config.goals.length === 0) return changes;
  for (const at of instants) {
    for (const owed of goalsOwed(config.goals, facts, at)) {
      const delta = owed.points - (held.get(owed.goalId) ?? 0);
      if (delta === 0) continue;
      held.set(owed.goalId, owed.points);
      changes.push({ at, goalId: owed.goalId, points: delta, reachedBy: owed.reachedBy });
    }
  }
  return changes;
}

/** The typed orders as the engine's facts: order `i` is "i", each refund gives back its amount. */
export function orderFacts(input: z.output<typeof SimulationInputSchema>): OrderSpend[] {
  return input.orders.map((order, index) => ({
    orderId: String(index),
    paidAt: order.at,
    goodsMinor: order.amountMinor,
    refunds: order.refunds.map((refund) => ({ at: refund.at, goodsMinor: refund.amountMinor })),
    cancelledAt: null,
  }));
}

export function singleLineOrder(currency: string, amountMinor: number) {
  return {
    currency,
    lines: [
      {
        lineItemId: "1",
        productId: null,
        collectionIds: [],
        quantity: 1,
        unitPriceMinor: amountMinor,
        discountMinor: 0,
        giftCard: false,
      },
    ],
    shippingMinor: 0,
    taxMinor: 0,
    orderLevelDiscountMinor: 0,
  };
}
