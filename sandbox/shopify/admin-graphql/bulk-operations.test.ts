import { afterEach, describe, expect, it } from "vitest";
import { bulkFinishApp, bulkId, readJsonl, runBulkQuery } from "./bulk/testing";
import { APP_SCOPES, createTestAdminApi } from "./testing";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const ORDERS = "{ orders { edges { node { id lineItems { edges { node { id quantity } } } } } } }";

/** A store with `count` orders of two lines each, and an app listening for the finish webhook. */
async function storeWithOrders(count: number, overrides = {}) {
  const api = createTestAdminApi(overrides);
  cleanups.push(() => api.store.adminApi.bulk.dispose());
  const customer = api.store.addCustomer({ email: "buyer@example.com" });
  for (let i = 0; i < count; i++) {
    api.store.addPaidOrder(customer, [
      { title: "Mug", price: "10.00", quantity: 1 },
      { title: "Tea", price: "4.00", quantity: 3 },
    ]);
  }
  const app = await bulkFinishApp(api.store.adminApi.bulk, api.store.shop.domain);
  cleanups.push(app.close);
  return { api, app };
}

const CANCEL = `mutation($id: ID!) { bulkOperationCancel(id: $id) {
  bulkOperation { id status } userErrors { field message } } }`;

describe("bulk operations: concurrency", () => {
  it("runs up to five queries at a time and refuses a sixth until one finishes", async () => {
    const { api } = await storeWithOrders(1);
    const started = [];
    for (let i = 0; i < 5; i++) started.push(await runBulkQuery(api.gql, ORDERS));
    expect(started.map((s) => s.userErrors)).toEqual([[], [], [], [], []]);
    // A canceled operation still counts until it is actually canceled.
    await api.gql(CANCEL, { id: started[0]!.bulkOperation!.id });

    const sixth = await runBulkQuery(api.gql, ORDERS);
    expect(sixth).toEqual({
      bulkOperation: null,
      userErrors: [
        {
          field: null,
          message: "Bulk operations limit reached. Please try again later.",
          code: "LIMIT_REACHED",
        },
      ],
    });

    await api.store.adminApi.bulk.complete(bulkId(started[0]!.bulkOperation!.id));
    expect((await runBulkQuery(api.gql, ORDERS)).userErrors).toEqual([]);
  });
});

describe("bulk operations: failures and cancels", () => {
  it("a failed operation has an errorCode, no file, and says so in the webhook", async () => {
    const { api, app } = await storeWithOrders(3);
    api.store.adminApi.bulk.injectFault({ kind: "failed", errorCode: "INTERNAL_SERVER_ERROR" });

    const { bulkOperation } = await runBulkQuery(api.gql, ORDERS);
    const [failed] = await api.store.adminApi.bulk.completeAll();

    expect(failed).toMatchObject({
      id: bulkId(bulkOperation!.id),
      status: "FAILED",
      errorCode: "INTERNAL_SERVER_ERROR",
      url: null,
      partialDataUrl: null,
      completedAt: null,
    });
    expect(app.received.map((w) => w.payload)).toEqual([
      expect.objectContaining({ status: "failed", error_code: "internal_server_error" }),
    ]);
    // The next operation is not affected.
    await runBulkQuery(api.gql, ORDERS);
    const [next] = await api.store.adminApi.bulk.completeAll();
    expect(next?.status).toBe("COMPLETED");
  });

  it("a partial failure serves the first lines at partialDataUrl", async () => {
    const { api } = await storeWithOrders(4);
    await runBulkQuery(api.gql, ORDERS, true);
    const [complete] = await api.store.adminApi.bulk.completeAll();
    const all = await readJsonl(await api.fetch(complete!.url!));
    api.store.adminApi.bulk.injectFault({ kind: "partial", afterObjects: 5, errorCode: "TIMEOUT" });

    const { bulkOperation } = await runBulkQuery(api.gql, ORDERS, true);
    await api.store.adminApi.bulk.completeAll();
    const read = await api.gql(
      `query($id: ID!) { bulkOperation(id: $id) { status errorCode url partialDataUrl objectCount rootObjectCount } }`,
      { id: bulkOperation!.id },
    );

    const partial = read.body.data?.bulkOperation as Record<string, string | null>;
    expect(partial).toMatchObject({
      status: "FAILED",
      errorCode: "TIMEOUT",
      url: null,
      objectCount: "5",
      rootObjectCount: "2",
    });
    expect(all).toHaveLength(12);
    expect(await readJsonl(await api.fetch(partial.partialDataUrl!))).toEqual(all.slice(0, 5));
  });

  it("bulkOperationCancel: CANCELING, then CANCELED with the webhook; finished ones refuse", async () => {
    const { api, app } = await storeWithOrders(2);
    const { bulkOperation } = await runBulkQuery(api.gql, ORDERS);
    api.store.adminApi.bulk.startAll();

    const cancel = await api.gql(CANCEL, { id: bulkOperation!.id });
    expect(cancel.body.data?.bulkOperationCancel).toEqual({
      bulkOperation: { id: bulkOperation!.id, status: "CANCELING" },
      userErrors: [],
    });
    const [canceled] = await api.store.adminApi.bulk.completeAll();

    expect(canceled).toMatchObject({ status: "CANCELED", url: null, errorCode: null });
    expect(app.received.map((w) => w.payload.status)).toEqual(["canceled"]);
    const again = await api.gql(CANCEL, { id: bulkOperation!.id });
    expect(again.body.data?.bulkOperationCancel).toEqual({
      bulkOperation: { id: bulkOperation!.id, status: "CANCELED" },
      userErrors: [
        { field: null, message: "A bulk operation cannot be canceled when it is canceled" },
      ],
    });
    const missing = await api.gql(CANCEL, { id: "gid://shopify/BulkOperation/1" });
    expect(missing.body.data?.bulkOperationCancel).toEqual({
      bulkOperation: null,
      userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
    });
  });

  it("Shopify can cancel a stalled operation by itself", async () => {
    const { api, app } = await storeWithOrders(1);
    api.store.adminApi.bulk.injectFault({ kind: "canceled" });
    await runBulkQuery(api.gql, ORDERS);
    const [canceled] = await api.store.adminApi.bulk.completeAll();
    expect(canceled?.status).toBe("CANCELED");
    expect(app.received).toHaveLength(1);
  });

  it("fails with ACCESS_DENIED when the app lacks a scope the query needs", async () => {
    const scopes = APP_SCOPES.filter((s) => s !== "read_orders");
    const { api } = await storeWithOrders(1, { grantedScopes: scopes });
    await runBulkQuery(api.gql, ORDERS);
    const [denied] = await api.store.adminApi.bulk.completeAll();
    expect(denied).toMatchObject({ status: "FAILED", errorCode: "ACCESS_DENIED", url: null });
  });

  it("serves a result only with its signature", async () => {
    const { api } = await storeWithOrders(1);
    await runBulkQuery(api.gql, ORDERS);
    const [done] = await api.store.adminApi.bulk.completeAll();
    const forged = done!.url!.replace(/signature=\w+/, "signature=0000");
    expect((await api.fetch(forged)).status).toBe(403);
    expect((await api.fetch(done!.url!)).headers.get("content-type")).toBe("application/jsonl");
  });

  it("the mutation itself takes request faults like any other field", async () => {
    const { api } = await storeWithOrders(1);
    api.store.adminApi.injectFault({ field: "bulkOperationRunQuery", kind: "userErrors" });
    const payload = await runBulkQuery(api.gql, ORDERS);
    expect(payload.bulkOperation).toBeNull();
    expect(payload.userErrors).toEqual([
      { field: null, message: expect.any(String), code: "INVALID" },
    ]);
    expect(api.store.adminApi.bulk.operations.size).toBe(0);
  });
});
