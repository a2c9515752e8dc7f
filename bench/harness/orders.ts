import { SandboxStore, toCents } from "../../sandbox/shopify/store";
import type { OutgoingWebhook } from "./webhook-load";

/** A small deterministic PRNG (mulberry32), so a run can be replayed from its seed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function storeFor(domain: string, firstId = 1_000_001) {
  return new SandboxStore(
    {
      id: 1,
      name: domain,
      domain,
      email: `owner@${domain}`,
      currencyCode: "USD",
      ianaTimezone: "UTC",
      countryCode: "US",
      plan: "Plus",
    },
    firstId,
  );
}

/**
 * `count` paid orders spread over `customers` customers, as orders/paid webhooks. Prices are
 * 1.00–250.99 with 1–3 lines, so every order earns points under the default program.
 */
export function paidOrders(
  store: SandboxStore,
  options: { count: number; customers: number; seed: number; webhookPrefix: string },
): OutgoingWebhook[] {
  const random = seededRandom(options.seed);
  const people = Array.from({ length: options.customers }, (_, i) =>
    store.addCustomer({ email: `c${i}@${store.shop.domain}` }),
  );
  return Array.from({ length: options.count }, (_, i) => {
    const customer = people[Math.floor(random() * people.length)]!;
    const lines = 1 + Math.floor(random() * 3);
    const order = store.addPaidOrder(
      customer,
      Array.from({ length: lines }, (_, line) => ({
        title: `Item ${line}`,
        price: `${1 + Math.floor(random() * 250)}.${String(Math.floor(random() * 100)).padStart(2, "0")}`,
        quantity: 1 + Math.floor(random() * 2),
      })),
    );
    return { topic: "orders/paid", webhookId: `${options.webhookPrefix}-${i}`, payload: order };
  });
}

/**
 * The reference model of the default program (1 point per 1.00, rounded down, no tiers), written
 * independently of app/domain: each distinct order earns once, whatever the redeliveries.
 */
export function expectedBalances(webhooks: readonly OutgoingWebhook[]) {
  const perOrder = new Map<number, { customerId: number; points: number }>();
  for (const { payload } of webhooks) {
    const order = payload as {
      id: number;
      customer: { id: number };
      line_items: { price: string; quantity: number }[];
    };
    const cents = order.line_items.reduce((sum, l) => sum + toCents(l.price) * l.quantity, 0);
    perOrder.set(order.id, { customerId: order.customer.id, points: Math.floor(cents / 100) });
  }
  const balances = new Map<number, number>();
  for (const { customerId, points } of perOrder.values()) {
    balances.set(customerId, (balances.get(customerId) ?? 0) + points);
  }
  return balances;
}
