import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as bulkFinishAction } from "~/routes/webhooks.app.bulk_operations";
import { advanceHistoryImport } from "~/services/history-import/run.server";
import { startHistoryImport, stopHistoryImport } from "~/services/history-import/start.server";
import { importRow, installedStore, runImport } from "../../support/history";
import { seedCrowd, seedHistory } from "../../support/history-fixture";
import { callAction, webhook } from "../../support/webhooks";

// Issue 18: one import at a time per shop, stoppable, moved on by Shopify's bulk_operations/finish.

const CHOICES = { pointsDays: null, storeCredit: false, fireFlows: false };

async function queuedRuns(importId: string) {
  const rows = await prisma.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM pgboss.job
    WHERE name = 'history.import' AND data->>'importId' = ${importId} AND state = 'created'`;
  return Number(rows[0]?.count ?? 0);
}

describe("history import lifecycle", () => {
  it("runs one import at a time per shop; starting again answers with the running one", async () => {
    const installed = await installedStore("one-at-a-time");
    const first = await startHistoryImport(installed.shopId, CHOICES);
    const second = await startHistoryImport(installed.shopId, { ...CHOICES, pointsDays: 30 });
    expect(first.started).toBe(true);
    expect(second).toEqual({ id: first.id, started: false });
    expect(await queuedRuns(first.id)).toBe(1);
  });

  it("stops when the merchant says so: the chunk in hand finishes, nothing more is read", async () => {
    const installed = await installedStore("stopped");
    seedCrowd(installed, 240);
    const { id } = await startHistoryImport(installed.shopId, CHOICES);
    const options = { admin: installed.admin, fetchFile: installed.api.fetch, budgetMs: 0 };
    await advanceHistoryImport(id, options);
    await installed.store.adminApi.bulk.completeAll();
    await advanceHistoryImport(id, options); // the operations are done: applying
    expect(await advanceHistoryImport(id, options)).toEqual({ kind: "again" }); // one chunk
    const partway = await importRow(id);

    expect(await stopHistoryImport(installed.shopId, id)).toBe(true);
    expect(await advanceHistoryImport(id, options)).toEqual({ kind: "finished" });
    const stopped = await importRow(id);
    expect(stopped.state).toBe("stopped");
    expect(stopped.customers).toBe(partway.customers);
    expect(stopped.customers).toBeLessThan(240);
    expect(await prisma.member.count({ where: { shopId: installed.shopId } })).toBe(
      stopped.customers,
    );
    // Stopped is finished: a new import may start, and brings in the rest.
    const again = await runImport(installed, CHOICES);
    expect((await importRow(again)).state).toBe("done");
    expect(await prisma.member.count({ where: { shopId: installed.shopId } })).toBe(240);
  });

  it("moves on as soon as Shopify says an operation finished (bulk_operations/finish)", async () => {
    const installed = await installedStore("finish-webhook");
    seedHistory(installed);
    const { id } = await startHistoryImport(installed.shopId, CHOICES);
    await prisma.$executeRaw`DELETE FROM pgboss.job WHERE name = 'history.import'`;
    await advanceHistoryImport(id, { admin: installed.admin, fetchFile: installed.api.fetch });
    const run = await importRow(id);
    expect(run.state).toBe("fetching");

    const send = (payload: unknown, topic = "bulk_operations/finish") =>
      callAction(
        bulkFinishAction,
        webhook("/webhooks/app/bulk_operations", topic, payload, { shop: installed.domain }),
      );
    const finished = {
      admin_graphql_api_id: run.ordersOperationId,
      completed_at: new Date().toISOString(),
      created_at: new Date().toISOString(),
      error_code: null,
      status: "completed",
      type: "query",
    };
    expect((await send(finished)).status).toBe(200);
    expect(await queuedRuns(id)).toBe(1);
    // An operation that is not the import's (another app's, an old one) queues nothing more.
    const other = { ...finished, admin_graphql_api_id: "gid://shopify/BulkOperation/1" };
    expect((await send(other)).status).toBe(200);
    expect(await queuedRuns(id)).toBe(1);
    // Not this address's topic, or not what Shopify sends: a clear refusal.
    expect((await send(finished, "orders/paid")).status).toBe(422);
    expect((await send({ status: "completed" })).status).toBe(400);
  });

  it("refuses a finish webhook that Shopify did not sign", async () => {
    const installed = await installedStore("finish-unsigned");
    const request = webhook(
      "/webhooks/app/bulk_operations",
      "bulk_operations/finish",
      { admin_graphql_api_id: "gid://shopify/BulkOperation/1" },
      { shop: installed.domain, secret: "not-the-app-secret" },
    );
    expect((await callAction(bulkFinishAction, request)).status).toBe(401);
  });
});
