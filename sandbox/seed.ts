import type { SandboxStore } from "./shopify/store";

const PEOPLE = [
  ["Ada", "Lovelace"],
  ["Grace", "Hopper"],
  ["Alan", "Turing"],
  ["Katherine", "Johnson"],
  ["Edsger", "Dijkstra"],
  ["Barbara", "Liskov"],
  ["Donald", "Knuth"],
  ["Margaret", "Hamilton"],
] as const;

const PRODUCTS = ["Trail jacket", "Wool socks", "Camp mug", "Hiking boots", "Rain shell"] as const;
const DAY = 24 * 3600 * 1000;

/**
 * A small, believable store as it is before the app is installed: eight customers of the last
 * two years, some with customer accounts, with a year of paid orders (one partly refunded), a
 * store credit balance, and what a real store also has: a customer known only by phone, an order
 * in another currency and a guest order. The app brings it in with its history import.
 * Deterministic, so screenshots and walkthroughs look the same on every machine.
 */
export function seedStore(store: SandboxStore, now = new Date()) {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  const customers = PEOPLE.map(([first, last], index) =>
    store.addCustomer(
      {
        first_name: first,
        last_name: last,
        email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
        state: index % 3 === 2 ? "disabled" : "enabled",
      },
      ago(700 - index * 60),
    ),
  );
  // Customer i orders (i % 4) + 2 times over the last year, the latest `3 + 2i` days ago.
  const orders = customers.flatMap((customer, index) =>
    Array.from({ length: (index % 4) + 2 }, (_, n) => {
      const days = 3 + index * 2 + n * 71;
      return store.addPaidOrder(
        customer,
        [
          {
            title: PRODUCTS[(index + n) % PRODUCTS.length]!,
            price: `${29 + index * 11 + n * 17}.00`,
            quantity: 1 + ((index + n) % 2),
          },
        ],
        { shipping: "5.00", tax: "0.00", at: ago(days), processedAt: ago(days) },
      );
    }),
  );
  // Grace returned one of two items of her second order.
  const refunded = orders.find(
    (o) => o.customer?.id === customers[1]!.id && o.line_items[0]!.quantity === 2,
  );
  if (refunded) store.refundLineItem(refunded, refunded.line_items[0]!.id, 1, ago(20));
  // Katherine has $15.00 of store credit from a return handled in Shopify admin.
  store.adminApi.credit({ customerId: customers[3]!.id, currencyCode: "USD" }, 1500, null, ago(40));
  // A customer who gave only a phone number, an order paid in euros, and a guest checkout.
  const linus = store.addCustomer(
    { email: null, phone: "+15555550123", first_name: "Linus" },
    ago(200),
  );
  store.addPaidOrder(linus, [{ title: "Camp mug", price: "18.00", quantity: 2 }], {
    at: ago(45),
    processedAt: ago(45),
  });
  store.addPaidOrder(customers[2]!, [{ title: "Wool socks", price: "24.00", quantity: 1 }], {
    at: ago(60),
    processedAt: ago(60),
    currency: "EUR",
  });
  store.addPaidOrder(null, [{ title: "Rain shell", price: "120.00", quantity: 1 }], {
    at: ago(10),
    processedAt: ago(10),
  });
  return { customers: [...customers, linus], orders };
}
