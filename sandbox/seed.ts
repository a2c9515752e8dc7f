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

/**
 * A small, believable store: eight customers, some registered, with a few months of paid orders.
 * Deterministic, so screenshots and walkthroughs look the same on every machine.
 */
export function seedStore(store: SandboxStore, now = new Date()) {
  const day = 24 * 3600 * 1000;
  const customers = PEOPLE.map(([first, last], index) =>
    store.addCustomer(
      {
        first_name: first,
        last_name: last,
        email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
        state: index % 3 === 2 ? "disabled" : "enabled",
      },
      new Date(now.getTime() - (120 - index * 7) * day),
    ),
  );
  const orders = customers.flatMap((customer, index) =>
    Array.from({ length: (index % 3) + 1 }, (_, n) =>
      store.addPaidOrder(
        customer,
        [
          {
            title: ["Trail jacket", "Wool socks", "Camp mug"][n % 3]!,
            price: `${29 + index * 11 + n * 17}.00`,
            quantity: 1,
          },
        ],
        {
          shipping: "5.00",
          tax: "0.00",
          at: new Date(now.getTime() - (90 - index * 9 - n * 4) * day),
        },
      ),
    ),
  );
  return { customers, orders };
}
