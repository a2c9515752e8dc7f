import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { startWorker } from "../../bench/harness/app-processes";
import { expectedBalances, paidOrders, storeFor } from "../../bench/harness/orders";
import { sized } from "./support/size";
import {
  balancesOf,
  expectExactlyOncePerOrder,
  sendThroughRoute,
  waitUntilProcessed,
  withDuplicatesShuffled,
} from "./support/replay";

const SHOP = "two-workers.myshopify.com";
const ORDERS = sized(3_000, 400);

describe("two worker processes claim from the same deliveries (ADR 0034)", () => {
  it(`share ${ORDERS} orders (with redeliveries) without a double effect`, async () => {
    // GIVEN a backlog with 25% redeliveries over few customers (many deliveries per member)
    const originals = paidOrders(storeFor(SHOP), {
      count: ORDERS,
      customers: sized(150, 30),
      seed: 31,
      webhookPrefix: "two",
    });
    await sendThroughRoute(SHOP, withDuplicatesShuffled(originals, 0.25, 32), 8);
    const databaseUrl = process.env.DATABASE_URL!;

    // WHEN two `npm run worker` processes drain it at the same time
    const workers = await Promise.all([
      startWorker({ databaseUrl, name: "claiming-worker-a" }),
      startWorker({ databaseUrl, name: "claiming-worker-b" }),
    ]);
    try {
      await waitUntilProcessed(SHOP, 300_000);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }

    // THEN both did work: each delivery was applied by one of them, once
    const attempts = await prisma.webhookDelivery.groupBy({
      by: ["attempts"],
      where: { shop: { domain: SHOP } },
      _count: true,
    });
    expect(attempts.filter((row) => row.attempts > 1)).toEqual([]);
    const processedBy = workers.map((w) => (w.output().match(/claimed/g) ?? []).length);
    expect(processedBy.every((count) => count > 0)).toBe(true);
    // AND every balance matches the reference model, each order credited and announced once
    const expected = expectedBalances(originals);
    const actual = await balancesOf(SHOP);
    expect([...expected].filter(([customer, points]) => actual.get(customer) !== points)).toEqual(
      [],
    );
    await expectExactlyOncePerOrder(SHOP, originals.length);
  });
});
