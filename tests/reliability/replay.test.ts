import { describe, expect, it } from "vitest";
import { getBoss } from "~/jobs/queues/boss.server";
import { registerWorkers } from "~/jobs/workers/index.server";
import { expectedBalances, paidOrders, storeFor } from "../../bench/harness/orders";
import { sized } from "./support/size";
import {
  balancesOf,
  expectExactlyOncePerOrder,
  sendThroughRoute,
  waitUntilProcessed,
  withDuplicatesShuffled,
} from "./support/replay";

const SHOP = "replay.myshopify.com";
const DELIVERIES = sized(10_000, 1_000);

describe("replayed, duplicated, reordered, concurrent deliveries", () => {
  it(`${DELIVERIES} orders/paid deliveries (30% duplicates) end in the reference balances, each order credited once`, async () => {
    // GIVEN running job workers and 70% distinct orders over a few hundred customers (so many
    // deliveries for one member are in flight together)
    await registerWorkers(await getBoss());
    const originals = paidOrders(storeFor(SHOP), {
      count: Math.round(DELIVERIES * 0.7),
      customers: sized(300, 60),
      seed: 9,
      webhookPrefix: "replay",
    });
    const deliveries = withDuplicatesShuffled(originals, 0.3, 10);
    expect(deliveries).toHaveLength(DELIVERIES);

    // WHEN they arrive shuffled, 16 at a time, through the real route while the workers apply them
    await sendThroughRoute(SHOP, deliveries, 16);
    await waitUntilProcessed(SHOP, sized(900_000, 180_000));

    // THEN every balance is what the independent model says, and nothing was credited twice
    const expected = expectedBalances(originals);
    const actual = await balancesOf(SHOP);
    expect(actual.size).toBe(expected.size);
    const wrong = [...expected].filter(([customer, points]) => actual.get(customer) !== points);
    expect(wrong).toEqual([]);
    await expectExactlyOncePerOrder(SHOP, originals.length);
  });
});
