import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { cumulativeClawback, earnForOrder } from "~/domain/earning/index";
import { DEFAULT_PROGRAM_CONFIG } from "~/domain/program/index";
import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { adjustPoints } from "~/services/ledger/adjust.server";
import { saveProgram } from "~/services/program/versions.server";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { deliver, memberOf, newStore } from "../../support/deliveries";
import { standInAdmin } from "../../support/stand-in-admin";

// orders/edited reads the order back through the offline session: here the stand-in of whichever
// store holds the order.
const stores = vi.hoisted(() => new Map<string, AdminGraphql>());
vi.mock("~/integrations/shopify/offline-admin.server", () => ({
  offlineAdmin: async (): Promise<AdminGraphql> => ({
    graphql: (query, options) => {
      const id = String((options?.variables as { id: string }).id)
        .split("/")
        .pop()!;
      return stores.get(id)!.graphql(query, options);
    },
  }),
}));

// A scenario is a customer's orders with their refunds and cancellations, independent of ids, so
// the same scenario can be played into two stores: once in order, once shuffled with redeliveries.
interface ScenarioOrder {
  lines: { cents: number; quantity: number }[];
  refunds: { line: number; quantity: number }[];
  /** An order edit after the refunds: a new line and/or units taken off an existing line. */
  edit: { addCents: number; removeLine: number; removeQuantity: number } | null;
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
    edit: fc.option(
      fc.record({
        addCents: fc.integer({ min: 0, max: 20_000 }),
        removeLine: fc.nat(),
        removeQuantity: fc.integer({ min: 0, max: 3 }),
      }),
    ),
    cancelled: fc.boolean(),
  })
  .map(({ lines, refundPicks, edit, cancelled }) => {
    // Keep only refunds Shopify would accept: never more of a line than was bought.
    const left = lines.map((l) => l.quantity);
    const refunds = refundPicks.flatMap(({ line, quantity }) => {
      const index = line % lines.length;
      const take = Math.min(quantity, left[index]!);
      if (take === 0) return [];
      left[index]! -= take;
      return [{ line: index, quantity: take }];
    });
    // An edit can only take off units neither refunded nor already gone.
    const removeLine = (edit?.removeLine ?? 0) % lines.length;
    const removeQuantity = Math.min(edit?.removeQuantity ?? 0, left[removeLine]!);
    return {
      lines,
      refunds,
      edit: edit && { addCents: edit.addCents, removeLine, removeQuantity },
      cancelled,
    };
  });

/** Manual points adjustments (admin or Flow), signed, each with its own idempotency key. */
const adjustments = fc.array(
  fc.integer({ min: -300, max: 300 }).filter((p) => p !== 0),
  {
    maxLength: 4,
  },
);

type Delivery = { topic: string; payload: unknown };

/**
 * Plays a scenario into a store, returning the webhooks Shopify would send (and the manual
 * adjustments, as topic "manual"), in their natural order. Every step is a minute after the last,
 * as Shopify's updated_at would be.
 */
function materialise(store: SandboxStore, orders: ScenarioOrder[], manual: number[]) {
  const customer = store.addCustomer({ email: `c${store.newId()}@example.com` });
  const api = standInAdmin(store);
  let minute = 0;
  const tick = () => new Date(Date.UTC(2026, 0, 1, 0, ++minute));
  const orderIds: string[] = [];
  const deliveries: Delivery[] = manual.map((points, i) => ({
    topic: "manual",
    payload: { points, key: `manual:${customer.id}:${i}` },
  }));
  for (const spec of orders) {
    const order = store.addPaidOrder(
      customer,
      spec.lines.map((l, i) => ({
        title: `Item ${i}`,
        price: (l.cents / 100).toFixed(2),
        quantity: l.quantity,
      })),
      { at: tick() },
    );
    stores.set(String(order.id), api);
    orderIds.push(String(order.id));
    deliveries.push({ topic: "orders/paid", payload: structuredClone(order) });
    for (const refund of spec.refunds) {
      const payload = store.refundLineItem(
        order,
        order.line_items[refund.line]!.id,
        refund.quantity,
        tick(),
      );
      deliveries.push({ topic: "refunds/create", payload: structuredClone(payload) });
    }
    if (spec.edit) {
      const { addCents, removeLine, removeQuantity } = spec.edit;
      const edit = store.editOrder(
        order,
        {
          add:
            addCents > 0
              ? [{ title: "Added", price: (addCents / 100).toFixed(2), quantity: 1 }]
              : [],
          remove:
            removeQuantity > 0
              ? [{ lineItemId: order.line_items[removeLine]!.id, quantity: removeQuantity }]
              : [],
        },
        tick(),
      );
      deliveries.push({ topic: "orders/edited", payload: edit });
    }
    if (spec.cancelled)
      deliveries.push({
        topic: "orders/cancelled",
        payload: structuredClone(store.cancelOrder(order, "customer", tick())),
      });
  }
  return { customer, deliveries, orderIds };
}

/**
 * The oracle: what an order holds once every fact is known, from the domain's earning rules (the
 * test program earns 1 point per 1.00): the final lines (after the edit) earn, refunds claw back
 * their share of that, a cancellation leaves nothing.
 */
function expectedOrderPoints(o: ScenarioOrder): number {
  if (o.cancelled) return 0;
  const lines = o.lines.map((l, i) => ({
    lineItemId: String(i),
    quantity: l.quantity - (o.edit?.removeLine === i ? o.edit.removeQuantity : 0),
    cents: l.cents,
  }));
  if (o.edit && o.edit.addCents > 0) {
    lines.push({ lineItemId: "added", quantity: 1, cents: o.edit.addCents });
  }
  const { snapshot } = earnForOrder(
    {
      currency: "USD",
      lines: lines.map((l) => ({
        lineItemId: l.lineItemId,
        productId: null,
        collectionIds: [],
        quantity: l.quantity,
        unitPriceMinor: l.cents,
        discountMinor: 0,
        giftCard: false,
      })),
      shippingMinor: 0,
      taxMinor: 0,
      orderLevelDiscountMinor: 0,
    },
    DEFAULT_PROGRAM_CONFIG,
    1,
  );
  const refunds = o.refunds.map((r, k) => ({
    refundId: String(k),
    lines: [{ lineItemId: String(r.line), quantity: r.quantity }],
    amountMinor: 0,
  }));
  return Math.max(0, snapshot.points - cumulativeClawback(snapshot, refunds));
}

async function play(shopId: string, customerId: number, delivery: Delivery, negative: boolean) {
  if (delivery.topic !== "manual") return deliver(delivery.topic, delivery.payload);
  const { points, key } = delivery.payload as { points: number; key: string };
  return adjustPoints({
    shopId,
    customerId: BigInt(customerId),
    points,
    note: null,
    source: points > 0 ? "manual" : "shopify_flow_action",
    idempotencyKey: key,
    allowNegative: negative,
  });
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
        adjustments,
        fc.boolean(),
        fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
        async (orders, manual, negative, randomness) => {
          const random = () => randomness.next().value as number;
          // A manual debit is refused when the balance cannot cover it, so with the balance kept
          // at or above zero the outcome would depend on arrival order; with the merchant's
          // negative-balance settings on (clawbacks and Flow's "allow negative") every effect
          // commutes. Without them, adjustments are credits only.
          const adjustments = negative ? manual : manual.map(Math.abs);
          // GIVEN the same history in two stores (members exist before anything else arrives)
          const calm = materialise(newStore(), orders, adjustments);
          const chaotic = materialise(newStore(), orders, adjustments);
          await deliver("customers/create", calm.customer);
          await deliver("customers/create", chaotic.customer);
          const shop = await prisma.shop.findFirstOrThrow();
          await saveProgram(prisma, shop.id, { refunds: { allowNegativeBalance: negative } }, "p");

          // WHEN one gets it in order, the other shuffled with ~30% redeliveries
          for (const d of calm.deliveries) await play(shop.id, calm.customer.id, d, negative);
          const storm = chaotic.deliveries.flatMap((d) => (random() < 0.3 ? [d, d] : [d]));
          for (let i = storm.length - 1; i > 0; i--) {
            const j = Math.floor(random() * (i + 1));
            [storm[i], storm[j]] = [storm[j]!, storm[i]!];
          }
          for (const d of storm) await play(shop.id, chaotic.customer.id, d, negative);

          // THEN both end with the same balance, equal to the sum of entries, never negative
          // unless allowed, and no order lost more points than it earned
          const a = await ledgerState(calm.customer.id);
          const b = await ledgerState(chaotic.customer.id);
          expect(b.balance).toBe(a.balance);
          for (const state of [a, b]) {
            expect(state.balance).toBe(state.sum);
            if (!negative) expect(state.balance).toBeGreaterThanOrEqual(0);
            for (const [orderId, totals] of state.perOrder) {
              if (orderId !== "null") expect(totals.removed).toBeLessThanOrEqual(totals.earned);
            }
          }
          // Each manual adjustment applied exactly once, however often it was delivered.
          expect(b.perOrder.get("null")?.earned ?? 0).toBe(
            adjustments.filter((p) => p > 0).reduce((sum, p) => sum + p, 0),
          );
          // a cancelled order, or one whose every unit was refunded or removed, nets to zero
          // and each order holds exactly what the earning rules give its final state
          orders.forEach((o, index) => {
            for (const state of [
              a.perOrder.get(calm.orderIds[index]!),
              b.perOrder.get(chaotic.orderIds[index]!),
            ]) {
              expect((state?.earned ?? 0) - (state?.removed ?? 0)).toBe(expectedOrderPoints(o));
            }
          });
        },
      ),
      { numRuns: 20 },
    );
    // 20 runs of two stores each, every webhook through its route and job: give a loaded CI room.
  }, 240_000);
});
