import fc from "fast-check";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import type { SandboxStore } from "../../sandbox/shopify/store";
import { deliver, memberOf, newStore } from "../support/deliveries";

// A scenario is a customer's orders with their refunds and cancellations, independent of ids, so
// the same scenario can be played into two stores: once in order, once shuffled with redeliveries.
interface ScenarioOrder {
  lines: { cents: number; quantity: number }[];
  refunds: { line: number; quantity: number }[];
  cancelled: boolean;
}

const scenarioOrder: fc.Arbitrary<ScenarioOrder> = fc
  .record({
    lines: fc.array(
      fc.record({
        cents: fc.integer({ min: 1, max: 20_000 }),
        quantity: fc.integer({ min: 1, max: 4 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    refundPicks: fc.array(fc.record({ line: fc.nat(), quantity: fc.integer({ min: 1, max: 4 }) }), {
      maxLength: 4,
    }),
    cancelled: fc.boolean(),
  })
  .map(({ lines, refundPicks, cancelled }) => {
    // Keep only refunds Shopify would accept: never more of a line than was bought.
    const left = lines.map((l) => l.quantity);
    const refunds = refundPicks.flatMap(({ line, quantity }) => {
      const index = line % lines.length;
      const take = Math.min(quantity, left[index]!);
      if (take === 0) return [];
      left[index]! -= take;
      return [{ line: index, quantity: take }];
    });
    return { lines, refunds, cancelled };
  });

type Delivery = { topic: string; payload: unknown };

/** Plays a scenario into a store, returning the webhooks Shopify would send, in their natural order. */
function materialise(store: SandboxStore, orders: ScenarioOrder[]) {
  const customer = store.addCustomer({ email: `c${store.newId()}@example.com` });
  const deliveries: Delivery[] = [];
  for (const spec of orders) {
    const order = store.addPaidOrder(
      customer,
      spec.lines.map((l, i) => ({
        title: `Item ${i}`,
        price: (l.cents / 100).toFixed(2),
        quantity: l.quantity,
      })),
    );
    deliveries.push({ topic: "orders/paid", payload: structuredClone(order) });
    for (const refund of spec.refunds) {
      const payload = store.refundLineItem(
        order,
        order.line_items[refund.line]!.id,
        refund.quantity,
      );
      deliveries.push({ topic: "refunds/create", payload: structuredClone(payload) });
    }
    if (spec.cancelled)
      deliveries.push({
        topic: "orders/cancelled",
        payload: structuredClone(store.cancelOrder(order)),
      });
  }
  return { customer, deliveries };
}

async function ledgerState(customerId: number) {
  const member = await memberOf(customerId);
  if (!member)
    return { balance: 0, sum: 0, perOrder: new Map<string, { earned: number; removed: number }>() };
  const entries = await prisma.ledgerEntry.findMany({ where: { memberId: member.id } });
  const perOrder = new Map<string, { earned: number; removed: number }>();
  for (const entry of entries) {
    const key = String(entry.orderId);
    const totals = perOrder.get(key) ?? { earned: 0, removed: 0 };
    if (entry.points > 0) totals.earned += entry.points;
    else totals.removed -= entry.points;
    perOrder.set(key, totals);
  }
  return {
    balance: member.pointsBalance,
    sum: entries.reduce((s, e) => s + e.points, 0),
    perOrder,
  };
}

describe("ledger properties over random webhook sequences", () => {
  it("duplicates and reordering never change the outcome; the ledger stays consistent", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(scenarioOrder, { minLength: 1, maxLength: 3 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        async (orders, randomness) => {
          const random = () => randomness.next().value as number;
          // GIVEN the same history in two stores
          const calm = materialise(newStore(), orders);
          const chaotic = materialise(newStore(), orders);

          // WHEN one gets it in order, the other shuffled with ~30% redeliveries
          for (const d of calm.deliveries) await deliver(d.topic, d.payload);
          const storm = chaotic.deliveries.flatMap((d) => (random() < 0.3 ? [d, d] : [d]));
          for (let i = storm.length - 1; i > 0; i--) {
            const j = Math.floor(random() * (i + 1));
            [storm[i], storm[j]] = [storm[j]!, storm[i]!];
          }
          for (const d of storm) await deliver(d.topic, d.payload);

          // THEN both end with the same balance, equal to the sum of entries, never negative,
          // and no order lost more points than it earned
          const a = await ledgerState(calm.customer.id);
          const b = await ledgerState(chaotic.customer.id);
          expect(b.balance).toBe(a.balance);
          for (const state of [a, b]) {
            expect(state.balance).toBe(state.sum);
            expect(state.balance).toBeGreaterThanOrEqual(0);
            for (const totals of state.perOrder.values())
              expect(totals.removed).toBeLessThanOrEqual(totals.earned);
          }
          // a cancelled or fully refunded order nets to zero
          const expectedZero = orders.every(
            (o) =>
              o.cancelled ||
              o.lines.every(
                (l, i) =>
                  o.refunds.filter((r) => r.line === i).reduce((s, r) => s + r.quantity, 0) ===
                  l.quantity,
              ),
          );
          if (expectedZero) expect(a.balance).toBe(0);
        },
      ),
      { numRuns: 20 },
    );
  });
});
