import { daysAgo, type Installed } from "./history";

/**
 * A store with two years of history, as a merchant installs the app on it:
 * - Alice (account enabled): $150 200 days ago, $80 30 days ago, $300 500 days ago (outside the
 *   spend window: never read) → $230 of spend, Silver.
 * - Bob: 2 × $30 10 days ago, one unit refunded 5 days ago → $30 of spend.
 * - Carol: no email (a phone only), $40 20 days ago.
 * - Dave: a €70 order 15 days ago, in a shop that sells in dollars.
 * - Erin: $25.00 of Shopify store credit, no orders. Frank: nothing at all.
 * - A guest order (no customer), $500 3 days ago: nobody's spend.
 */
export function seedHistory({ store }: Installed, now = Date.now()) {
  const at = (days: number) => ({ at: daysAgo(days, now), processedAt: daysAgo(days, now) });
  const alice = store.addCustomer({
    email: "alice@example.com",
    first_name: "Alice",
    state: "enabled",
  });
  const bob = store.addCustomer({ email: "bob@example.com", first_name: "Bob" });
  const carol = store.addCustomer({ email: null, phone: "+15555550100" });
  const dave = store.addCustomer({ email: "dave@example.com" });
  const erin = store.addCustomer({ email: "erin@example.com" });
  const frank = store.addCustomer({ email: "frank@example.com" });

  const aliceOld = store.addPaidOrder(
    alice,
    [{ title: "Coat", price: "300.00", quantity: 1 }],
    at(500),
  );
  const aliceSpring = store.addPaidOrder(
    alice,
    [{ title: "Boots", price: "150.00", quantity: 1 }],
    at(200),
  );
  const aliceRecent = store.addPaidOrder(
    alice,
    [{ title: "Scarf", price: "80.00", quantity: 1 }],
    at(30),
  );
  const bobOrder = store.addPaidOrder(
    bob,
    [{ title: "Socks", price: "30.00", quantity: 2 }],
    at(10),
  );
  const bobRefund = store.refundLineItem(bobOrder, bobOrder.line_items[0]!.id, 1, daysAgo(5, now));
  const carolOrder = store.addPaidOrder(
    carol,
    [{ title: "Hat", price: "40.00", quantity: 1 }],
    at(20),
  );
  const daveOrder = store.addPaidOrder(dave, [{ title: "Gloves", price: "70.00", quantity: 1 }], {
    ...at(15),
    currency: "EUR",
  });
  const guestOrder = store.addPaidOrder(
    null,
    [{ title: "Tent", price: "500.00", quantity: 1 }],
    at(3),
  );
  store.adminApi.credit({ customerId: erin.id, currencyCode: "USD" }, 2500, null, new Date(now));

  return {
    customers: { alice, bob, carol, dave, erin, frank },
    orders: { aliceOld, aliceSpring, aliceRecent, bobOrder, carolOrder, daveOrder, guestOrder },
    bobRefund,
  };
}

export type SeededHistory = ReturnType<typeof seedHistory>;

/**
 * A store of `count` customers with a year of orders, enough for several chunks of each result
 * file: customer i has an order of $(10 + i % 90) i % 360 days ago, every third a second one
 * i % 60 days ago, every seventh of which had one unit refunded a day later.
 */
export function seedCrowd({ store }: Installed, count: number, now = Date.now()) {
  for (let i = 0; i < count; i += 1) {
    const customer = store.addCustomer({ email: `crowd-${i}@example.com`, first_name: `C${i}` });
    const first = daysAgo((i % 360) + 1, now);
    store.addPaidOrder(customer, [{ title: "Mug", price: `${10 + (i % 90)}.00`, quantity: 1 }], {
      at: first,
      processedAt: first,
    });
    if (i % 3 !== 0) continue;
    const second = daysAgo((i % 60) + 2, now);
    const order = store.addPaidOrder(customer, [{ title: "Tea", price: "12.00", quantity: 2 }], {
      at: second,
      processedAt: second,
    });
    if (i % 7 === 0) {
      store.refundLineItem(order, order.line_items[0]!.id, 1, daysAgo((i % 60) + 1, now));
    }
  }
}
