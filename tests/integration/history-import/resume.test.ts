import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import {
  comparableState,
  driveImport,
  importRow,
  installedStore,
  runImport,
  shopState,
  type Installed,
} from "../../support/history";
import { seedCrowd, seedHistory } from "../../support/history-fixture";
import { startHistoryImport } from "~/services/history-import/start.server";
import { advanceHistoryImport } from "~/services/history-import/run.server";

// Issue 18: an import is resumable and exactly-once. A download cut mid-file, a worker that
// stops after its time budget, or the whole import run again, end as one clean run would.

const CHOICES = { pointsDays: 120, storeCredit: true, fireFlows: false };

/** A fetch of the bulk results that breaks once, `fraction` of the way into the orders file. */
function cutOnce(installed: Installed, fraction: number): typeof fetch {
  let cut = false;
  return async (input, init) => {
    const response = await installed.api.fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    const ordersOperation = [...installed.store.adminApi.bulk.operations.values()].find((op) =>
      op.query.includes("LoyaltyHistoryOrders"),
    );
    if (cut || !ordersOperation || !url.includes(`/${ordersOperation.id}/`)) return response;
    cut = true;
    const body = await response.text();
    let sent = false;
    // The first part arrives, then the connection breaks (erroring at once would drop the queue).
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error("connection reset by peer"));
        sent = true;
        controller.enqueue(
          new TextEncoder().encode(body.slice(0, Math.floor(body.length * fraction))),
        );
      },
    });
    return new Response(stream, { status: 200 });
  };
}

async function twoStores(label: string, now: number) {
  const a = await installedStore(`${label}-a`);
  const b = await installedStore(`${label}-b`);
  seedCrowd(a, 240, now);
  seedCrowd(b, 240, now);
  return { a, b };
}

describe("history import: resumable and exactly once", () => {
  it("resumes a download cut mid-file from the last chunk applied, ending as a clean run", async () => {
    const now = Date.now();
    const { a: cutStore, b: cleanStore } = await twoStores("cut", now);
    await runImport(cleanStore, CHOICES, { now: new Date(now) });

    const { id } = await startHistoryImport(cutStore.shopId, CHOICES);
    const fetchFile = cutOnce(cutStore, 0.6);
    await expect(driveImport(cutStore, id, { now: new Date(now), fetchFile })).rejects.toThrow(
      "connection reset by peer",
    );
    const cutRun = await importRow(id);
    // Some chunks were applied before the cut, not all of them.
    expect(cutRun.state).toBe("applying");
    expect(cutRun.orderLinesDone).toBeGreaterThan(0);
    expect(cutRun.orderLinesDone).toBeLessThan(cutRun.orderLinesTotal ?? 0);

    // The job's retry runs it again with a working download.
    await driveImport(cutStore, id, { now: new Date(now), fetchFile });
    const run = await importRow(id);
    expect(run.state).toBe("done");
    expect(run.orderLinesDone).toBe(run.orderLinesTotal);
    expect(await comparableState(cutStore.shopId)).toEqual(
      await comparableState(cleanStore.shopId),
    );
    const clean = await prisma.historyImport.findFirstOrThrow({
      where: { shopId: cleanStore.shopId },
    });
    expect({ orders: run.orders, customers: run.customers, points: run.pointsAwarded }).toEqual({
      orders: clean.orders,
      customers: clean.customers,
      points: clean.pointsAwarded,
    });
  });

  it("spreads a big file over many short runs, each ending after its time budget", async () => {
    const now = Date.now();
    const { a: slow, b: clean } = await twoStores("budget", now);
    await runImport(clean, CHOICES, { now: new Date(now) });

    const { id } = await startHistoryImport(slow.shopId, CHOICES);
    let runs = 0;
    for (;;) {
      runs += 1;
      const next = await advanceHistoryImport(id, {
        admin: slow.admin,
        fetchFile: slow.api.fetch,
        now: new Date(now),
        budgetMs: 0,
      });
      if (next.kind === "finished") break;
      if (next.kind === "later") await slow.store.adminApi.bulk.completeAll();
    }
    // 240 customers in chunks of 200, ~400 orders in chunks of 50: many runs, one chunk each.
    expect(runs).toBeGreaterThan(8);
    expect(await comparableState(slow.shopId)).toEqual(await comparableState(clean.shopId));
  });

  it("two runs of one import at once (the poll's and the finish webhook's) apply each chunk once", async () => {
    const now = Date.now();
    const { a: raced, b: clean } = await twoStores("race", now);
    await runImport(clean, CHOICES, { now: new Date(now) });

    const { id } = await startHistoryImport(raced.shopId, CHOICES);
    const options = { admin: raced.admin, fetchFile: raced.api.fetch, now: new Date(now) };
    await advanceHistoryImport(id, options); // starts the bulk operations
    await raced.store.adminApi.bulk.completeAll();
    await advanceHistoryImport(id, options); // sees them finished
    const race = () => driveImport(raced, id, options);
    await Promise.all([race(), race()]);

    const run = await importRow(id);
    expect(run.state).toBe("done");
    expect(await comparableState(raced.shopId)).toEqual(await comparableState(clean.shopId));
    const cleanRun = await prisma.historyImport.findFirstOrThrow({
      where: { shopId: clean.shopId },
    });
    expect([run.customers, run.orders, run.pointsAwarded]).toEqual([
      cleanRun.customers,
      cleanRun.orders,
      cleanRun.pointsAwarded,
    ]);
  });

  it("run again, changes nothing: no entry, event or member twice", async () => {
    const installed = await installedStore("rerun");
    seedHistory(installed);
    const first = await runImport(installed, {
      pointsDays: 90,
      storeCredit: true,
      fireFlows: true,
    });
    const before = await shopState(installed.shopId);
    const deliveries = await prisma.eventDelivery.count({ where: { shopId: installed.shopId } });

    const second = await runImport(installed, {
      pointsDays: 90,
      storeCredit: true,
      fireFlows: true,
    });
    expect(second).not.toBe(first);
    expect(await shopState(installed.shopId)).toEqual(before);
    expect(await prisma.eventDelivery.count({ where: { shopId: installed.shopId } })).toBe(
      deliveries,
    );
    const rerun = await importRow(second);
    expect(rerun).toMatchObject({ state: "done", customers: 6, orders: 4, pointsAwarded: 0 });
  });
});
