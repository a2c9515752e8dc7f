import fc from "fast-check";
import { SandboxStore } from "../../sandbox/shopify/store";

// Stores of a few customers with paid, edited, refunded, cancelled and duplicated orders, customers
// created, enabled and merged, as random facts (fast-check) and as the webhooks Shopify would send
// for them, in the order they happened (tests/integration/orders/order-independence.test.ts).

const DAY = 86_400_000;
export interface Delivery {
  topic: string;
  payload: unknown;
  at: number;
  webhookId: string;
}

export type OrderSpec = {
  paidDaysAgo: number;
  lines: { price: number; quantity: number }[];
  edit: { afterDays: number; price: number } | null;
  refunds: { afterDays: number; line: number; quantity: number }[];
  cancelAfterDays: number | null;
};
export type CustomerSpec = { orders: OrderSpec[]; created: boolean; enabled: boolean };
export type StoreSpec = { customers: CustomerSpec[]; merge: boolean; duplicates: number[] };

const orderArb: fc.Arbitrary<OrderSpec> = fc.record({
  paidDaysAgo: fc.integer({ min: 2, max: 500 }),
  lines: fc.array(
    fc.record({
      price: fc.integer({ min: 5, max: 250 }),
      quantity: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  edit: fc.option(
    fc.record({
      afterDays: fc.integer({ min: 0, max: 20 }),
      price: fc.integer({ min: 5, max: 150 }),
    }),
    { nil: null },
  ),
  refunds: fc.array(
    fc.record({
      afterDays: fc.integer({ min: 0, max: 90 }),
      line: fc.integer({ min: 0, max: 1 }),
      quantity: fc.integer({ min: 1, max: 3 }),
    }),
    { maxLength: 2 },
  ),
  cancelAfterDays: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null, freq: 4 }),
});

export const storeArb: fc.Arbitrary<StoreSpec> = fc.record({
  customers: fc.array(
    fc.record({
      orders: fc.array(orderArb, { minLength: 1, maxLength: 3 }),
      created: fc.boolean(),
      enabled: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  merge: fc.boolean(),
  duplicates: fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 4 }),
});

let stores = 0;

/** The facts of one store as the webhooks Shopify would send, in the order they happened. */
export function deliveriesOf(spec: StoreSpec, now: number) {
  stores += 1;
  const store = new SandboxStore(
    {
      id: 1,
      name: "Independent store",
      domain: "independence.myshopify.com",
      email: "owner@example.com",
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
      countryCode: "US",
      plan: "Shopify",
    },
    700_000_000 + stores * 100_000,
  );
  const deliveries: Delivery[] = [];
  let ids = 0;
  const push = (topic: string, payload: unknown, at: number) =>
    deliveries.push({ topic, payload: structuredClone(payload), at, webhookId: `w${++ids}` });
  const clampPast = (at: number) => Math.min(at, now - 3_600_000);
  const customers = spec.customers.map((c, index) => {
    const customer = store.addCustomer({
      email: `c${index}-${stores}@example.com`,
      first_name: `C${index}`,
      state: c.enabled ? "enabled" : "disabled",
    });
    const firstPaid = Math.max(...c.orders.map((o) => o.paidDaysAgo));
    if (c.created) push("customers/create", customer, now - (firstPaid + 1) * DAY);
    if (c.enabled) push("customers/enable", customer, now - (firstPaid - 0.5) * DAY);
    return customer;
  });
  spec.customers.forEach((c, index) => {
    for (const o of c.orders) {
      const paidAt = now - o.paidDaysAgo * DAY;
      const order = store.addPaidOrder(
        customers[index]!,
        o.lines.map((line, n) => ({
          title: `Item ${n}`,
          price: `${line.price}.00`,
          quantity: line.quantity,
        })),
        { at: new Date(paidAt) },
      );
      push("orders/paid", order, paidAt);
      // Later facts of the order, in the order they happened.
      const later: { at: number; apply: () => void }[] = [];
      if (o.edit) {
        const at = clampPast(paidAt + o.edit.afterDays * DAY + 60_000);
        later.push({
          at,
          apply: () =>
            push(
              "orders/edited",
              store.editOrder(
                order,
                { add: [{ title: "Extra", price: `${o.edit!.price}.00`, quantity: 1 }] },
                new Date(at),
              ),
              at,
            ),
        });
      }
      o.refunds.forEach((r, n) => {
        const at = clampPast(paidAt + r.afterDays * DAY + 120_000 + n);
        later.push({
          at,
          apply: () => {
            const line = order.line_items[r.line % o.lines.length]!;
            const left =
              line.quantity -
              order.refunds
                .flatMap((refund) => refund.refund_line_items)
                .filter((item) => item.line_item_id === line.id)
                .reduce((sum, item) => sum + item.quantity, 0);
            if (left === 0) return;
            const refund = store.refundLineItem(
              order,
              line.id,
              Math.min(r.quantity, left),
              new Date(at),
            );
            push("refunds/create", refund, at);
          },
        });
      });
      if (o.cancelAfterDays !== null) {
        const at = clampPast(paidAt + o.cancelAfterDays * DAY + 180_000);
        later.push({
          at,
          apply: () =>
            push("orders/cancelled", store.cancelOrder(order, "customer", new Date(at)), at),
        });
      }
      later.sort((a, b) => a.at - b.at).forEach((fact) => fact.apply());
    }
  });
  if (spec.merge && customers.length > 1) {
    const [kept, gone] = [customers[0]!, customers[1]!];
    push(
      "customers/merge",
      {
        admin_graphql_api_customer_kept_id: `gid://shopify/Customer/${kept.id}`,
        admin_graphql_api_customer_deleted_id: `gid://shopify/Customer/${gone.id}`,
        admin_graphql_api_job_id: null,
        status: "completed",
        errors: [],
      },
      now - 2 * 3_600_000,
    );
  }
  // Shopify delivers some twice: with the same webhook id, and as a new delivery.
  for (const [n, pick] of spec.duplicates.entries()) {
    const original = deliveries[pick % deliveries.length]!;
    deliveries.push({ ...original, webhookId: n % 2 === 0 ? original.webhookId : `w${++ids}` });
  }
  deliveries.sort((a, b) => a.at - b.at);
  return { store, deliveries, customerIds: customers.map((c) => BigInt(c.id)) };
}
