import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { startWorker } from "../../bench/harness/app-processes";
import { expectedBalances, paidOrders, seededRandom, storeFor } from "../../bench/harness/orders";
import { sized } from "./support/size";
import {
  balancesOf,
  expectExactlyOncePerOrder,
  sendThroughRoute,
  waitUntilProcessed,
  withDuplicatesShuffled,
} from "./support/replay";

const SHOP = "killed-worker.myshopify.com";
// The CI size must leave work for the last kill: ingest got fast enough to drain 300 before it.
const ORDERS = sized(2_000, 1_000);
const KILLS = sized(6, 2);

describe("worker process killed (SIGKILL) at random points", () => {
  it(`loses and duplicates nothing over ${KILLS} kills and restarts`, async () => {
    // GIVEN a backlog of deliveries (with redeliveries) recorded through the real route
    const originals = paidOrders(storeFor(SHOP), {
      count: ORDERS,
      customers: sized(200, 40),
      seed: 21,
      webhookPrefix: "kill",
    });
    await sendThroughRoute(SHOP, withDuplicatesShuffled(originals, 0.2, 22), 8);
    const databaseUrl = process.env.DATABASE_URL!;

    // WHEN `npm run worker` processes are killed at random moments while they apply it
    const random = seededRandom(23);
    const processedAtKill: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const worker = await startWorker({ databaseUrl, name: `killed-worker-${kill}` });
      await new Promise((resolve) => setTimeout(resolve, 300 + random() * 1500));
      await worker.kill();
      processedAtKill.push(
        await prisma.webhookDelivery.count({ where: { processedAt: { not: null } } }),
      );
    }
    // AND a last one is left to finish (jobs the dead ones held come back when their heartbeat stops)
    const survivor = await startWorker({ databaseUrl, name: "surviving-worker" });
    try {
      await waitUntilProcessed(SHOP, 300_000);
    } finally {
      await survivor.stop();
    }

    // THEN the kills really interrupted work in progress
    expect(processedAtKill.at(-1)).toBeLessThan(await prisma.webhookDelivery.count());
    // AND every balance matches the reference model, each order credited and announced once
    const expected = expectedBalances(originals);
    const actual = await balancesOf(SHOP);
    expect([...expected].filter(([customer, points]) => actual.get(customer) !== points)).toEqual(
      [],
    );
    await expectExactlyOncePerOrder(SHOP, originals.length);
  });
});
