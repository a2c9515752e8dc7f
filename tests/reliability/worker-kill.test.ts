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
// Kills wait for the backlog to reach their share, so the size only sets how much work each
// worker does between kills (about ORDERS × 1.2 / (KILLS + 1) deliveries).
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

    const total = await prisma.webhookDelivery.count();

    // WHEN `npm run worker` processes are killed while they apply it: kill k waits until the
    // backlog is done past a random point of its own share (k/(K+1) to (k+1)/(K+1)), so every
    // kill lands on a worker in the middle of the backlog however fast the machine is
    const random = seededRandom(23);
    const kills: { processedBefore: number; processedAtKill: number; claimedAtKill: number }[] = [];
    let processed = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const worker = await startWorker({ databaseUrl, name: `killed-worker-${kill}` });
      const share = total / (KILLS + 1);
      const target = Math.max(processed + 1, Math.floor(share * (kill + 0.25 + 0.5 * random())));
      await waitUntilProcessedAtLeast(target, 120_000);
      await worker.kill();
      const atKill = await progress();
      kills.push({ processedBefore: processed, ...atKill });
      processed = atKill.processedAtKill;
    }
    // AND a last one is left to finish (rows the dead ones claimed come back when their lease ends)
    const survivor = await startWorker({ databaseUrl, name: "surviving-worker" });
    try {
      await waitUntilProcessed(SHOP, 300_000);
    } finally {
      await survivor.stop();
    }

    // THEN each kill stopped a worker that had done work and had work left
    for (const kill of kills) {
      expect(kill.processedAtKill).toBeGreaterThan(kill.processedBefore);
      expect(kill.processedAtKill).toBeLessThan(total);
    }
    // AND at least one kill left rows claimed by the dead worker (its work in hand was lost with it)
    expect(kills.some((kill) => kill.claimedAtKill > 0)).toBe(true);
    // AND every balance matches the reference model, each order credited and announced once
    const expected = expectedBalances(originals);
    const actual = await balancesOf(SHOP);
    expect([...expected].filter(([customer, points]) => actual.get(customer) !== points)).toEqual(
      [],
    );
    await expectExactlyOncePerOrder(SHOP, originals.length);
  });
});

/** Processed deliveries, and unprocessed ones under a live claim (a lease not yet run out). */
async function progress() {
  const [processedAtKill, claimedAtKill] = await Promise.all([
    prisma.webhookDelivery.count({ where: { processedAt: { not: null } } }),
    prisma.webhookDelivery.count({
      where: { processedAt: null, nextAttemptAt: { gt: new Date() } },
    }),
  ]);
  return { processedAtKill, claimedAtKill };
}

async function waitUntilProcessedAtLeast(target: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = await prisma.webhookDelivery.count({ where: { processedAt: { not: null } } });
    if (done >= target) return;
    if (Date.now() > deadline) throw new Error(`only ${done} of ${target} deliveries processed`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
