import { afterEach, describe, expect, it } from "vitest";
import { bulkFinishApp, bulkId, readJsonl, runBulkQuery } from "./bulk/testing";
import { createTestAdminApi } from "./testing";

const DAY = 24 * 3600 * 1000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A store with a history: what an import at install reads. */
function storeWithHistory() {
  const api = createTestAdminApi();
  cleanups.push(() => api.store.adminApi.bulk.dispose());
  const { store } = api;
  const now = api.now();
  const ada = store.addCustomer(
    {
      email: "ada@example.com",
      first_name: "Ada",
      last_name: "Lovelace",
      phone: "+15550000001",
      state: "enabled",
      tags: "vip, wholesale",
    },
    new Date(now.getTime() - 400 * DAY),
  );
  const phoneOnly = store.addCustomer(
    { email: null, phone: "+15550000002", first_name: "Pat" },
    new Date(now.getTime() - 200 * DAY),
  );
  store.addCustomer({ email: "no-orders@example.com" }, new Date(now.getTime() - 10 * DAY));
  store.adminApi.credit({ customerId: ada.id, currencyCode: "USD" }, 1250, null, now);

  const first = store.addPaidOrder(
    ada,
    [
      { title: "Trail jacket", price: "120.00", quantity: 1, discount: "20.00" },
      { title: "Gift card", price: "50.00", quantity: 1, giftCard: true },
    ],
    { at: new Date(now.getTime() - 300 * DAY), processedAt: new Date(now.getTime() - 301 * DAY) },
  );
  store.refundLineItem(first, first.line_items[0]!.id, 1, new Date(now.getTime() - 290 * DAY));
  const cancelled = store.addPaidOrder(ada, [{ title: "Mug", price: "12.00", quantity: 2 }], {
    at: new Date(now.getTime() - 100 * DAY),
  });
  store.cancelOrder(cancelled, "customer", new Date(now.getTime() - 99 * DAY));
  const euro = store.addPaidOrder(phoneOnly, [{ title: "Socks", price: "9.00", quantity: 3 }], {
    at: new Date(now.getTime() - 20 * DAY),
    currency: "EUR",
  });
  return { api, ada, phoneOnly, orders: [first, cancelled, euro] };
}

const CUSTOMERS_AND_ORDERS = `{
  customers {
    edges {
      node {
        id email phone firstName lastName state createdAt tags
        storeCreditAccounts { edges { node { id balance { amount currencyCode } } } }
        orders {
          edges {
            node {
              id processedAt currencyCode cancelledAt
              lineItems { edges { node { id quantity isGiftCard
                originalUnitPriceSet { shopMoney { amount } }
                totalDiscountSet { shopMoney { amount } } } } }
            }
          }
        }
      }
    }
  }
}`;

describe("bulk query operations", () => {
  it("exports customers with their orders: run, complete, finish webhook, JSONL with __parentId", async () => {
    // GIVEN a store with history and an app subscribed to bulk_operations/finish
    const { api, ada, phoneOnly, orders } = storeWithHistory();
    const app = await bulkFinishApp(api.store.adminApi.bulk, api.store.shop.domain);
    cleanups.push(app.close);

    // WHEN the app starts the export
    const started = await runBulkQuery(api.gql, CUSTOMERS_AND_ORDERS, true);

    // THEN it is created, then runs, then completes, and the app is told
    expect(started.userErrors).toEqual([]);
    const id = started.bulkOperation!.id;
    expect(id).toMatch(/^gid:\/\/shopify\/BulkOperation\/\d+$/);
    expect(started.bulkOperation).toMatchObject({ status: "CREATED", type: "QUERY", url: null });
    const poll = `query($id: ID!) { bulkOperation(id: $id) {
      id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl } }`;
    api.store.adminApi.bulk.startAll();
    const running = await api.gql(poll, { id });
    expect(running.body.data?.bulkOperation).toMatchObject({ status: "RUNNING", url: null });
    expect(app.received).toEqual([]);

    api.advance(5_000);
    await api.store.adminApi.bulk.completeAll();
    const done = (await api.gql(poll, { id })).body.data?.bulkOperation as Record<string, string>;
    expect(done).toMatchObject({
      status: "COMPLETED",
      errorCode: null,
      createdAt: "2026-11-01T12:00:00.000Z",
      completedAt: "2026-11-01T12:00:05.000Z",
      partialDataUrl: null,
    });
    expect(app.received).toEqual([
      {
        topic: "bulk_operations/finish",
        hmacValid: true,
        payload: {
          admin_graphql_api_id: id,
          completed_at: "2026-11-01T12:00:05.000Z",
          created_at: "2026-11-01T12:00:00.000Z",
          error_code: null,
          status: "completed",
          type: "query",
        },
      },
    ]);

    // AND the file has one line per node, children after their parents with __parentId
    const response = await api.fetch(done.url!);
    expect(response.status).toBe(200);
    const lines = await readJsonl(response);
    const customerGid = (n: number) => `gid://shopify/Customer/${n}`;
    const [first, cancelled, euro] = orders.map((o) => o!.admin_graphql_api_id);
    expect(lines.map((l) => [l.id, l.__parentId ?? null])).toEqual([
      [customerGid(ada.id), null],
      [expect.stringMatching(/StoreCreditAccount/), customerGid(ada.id)],
      [first, customerGid(ada.id)],
      [expect.stringMatching(/LineItem/), first],
      [expect.stringMatching(/LineItem/), first],
      [cancelled, customerGid(ada.id)],
      [expect.stringMatching(/LineItem/), cancelled],
      [customerGid(phoneOnly.id), null],
      [euro, customerGid(phoneOnly.id)],
      [expect.stringMatching(/LineItem/), euro],
      [expect.stringMatching(/Customer/), null],
    ]);
    expect(lines[0]).toEqual({
      id: customerGid(ada.id),
      email: "ada@example.com",
      phone: "+15550000001",
      firstName: "Ada",
      lastName: "Lovelace",
      state: "ENABLED",
      createdAt: "2025-09-27T12:00:00.000Z",
      tags: ["vip", "wholesale"],
    });
    expect(lines[1]).toMatchObject({ balance: { amount: "12.5", currencyCode: "USD" } });
    expect(lines[2]).toMatchObject({ processedAt: "2026-01-04T12:00:00.000Z", cancelledAt: null });
    expect(lines[3]).toMatchObject({
      quantity: 1,
      isGiftCard: false,
      totalDiscountSet: { shopMoney: { amount: "20.0" } },
    });
    expect(lines[4]).toMatchObject({ isGiftCard: true });
    expect(lines[5]).toMatchObject({ cancelledAt: "2026-07-25T12:00:00.000Z" });
    expect(lines[7]).toMatchObject({ email: null, phone: "+15550000002" });
    expect(lines[8]).toMatchObject({ currencyCode: "EUR" });
    expect(done.objectCount).toBe(String(lines.length));
    expect(done.rootObjectCount).toBe("3");
    expect(done.fileSize).toBe(
      String(Buffer.byteLength(await (await api.fetch(done.url!)).text())),
    );
  });

  it("by default (groupObjects false) writes every parent before any child, each type in order", async () => {
    const { api, ada, orders } = storeWithHistory();
    const yearsAgo = new Date(api.now().getTime() - 700 * DAY);
    api.store.addPaidOrder(ada, [{ title: "Old", price: "1.00", quantity: 1 }], { at: yearsAgo });
    const query = `{ orders(query: "processed_at:>=2025-11-01", sortKey: PROCESSED_AT) { edges { node {
      id name lineItems { edges { node { id title } } } refunds { id createdAt } } } } }`;

    const { bulkOperation } = await runBulkQuery(api.gql, query);
    const [done] = await api.store.adminApi.bulk.completeAll();
    const lines = await readJsonl(await api.fetch(done!.url!));

    const ids = orders.map((o) => o!.admin_graphql_api_id);
    expect(bulkOperation?.status).toBe("CREATED");
    expect(lines.slice(0, 3).map((l) => l.id)).toEqual(ids);
    expect(lines.slice(3).map((l) => l.__parentId)).toEqual([ids[0], ids[0], ids[1], ids[2]]);
    // Lists that are not connections stay inline.
    expect(lines[0]!.refunds).toEqual([{ id: expect.any(String), createdAt: expect.any(String) }]);
    expect(done).toMatchObject({ objectCount: 7, rootObjectCount: 3 });
  });

  it("returns what the same query returns page by page, ignoring `first`", async () => {
    const { api, orders } = storeWithHistory();
    const fields = `id name email processedAt displayFinancialStatus
      totalPriceSet { shopMoney { amount currencyCode } }
      totalRefundedSet { shopMoney { amount } }
      customer { id email }`;
    await runBulkQuery(
      api.gql,
      `{ orders(first: 1, reverse: true) { edges { node { ${fields} } } } }`,
    );
    const paged = await api.gql(`{ orders(first: 10, reverse: true) { nodes { ${fields} } } }`);

    const [done] = await api.store.adminApi.bulk.completeAll();
    const lines = await readJsonl(await api.fetch(done!.url!));

    expect(lines).toHaveLength(orders.length);
    expect(lines).toEqual((paged.body.data?.orders as { nodes: unknown[] }).nodes);
  });

  it("finds operations by id, through node and in bulkOperations; an empty result has no url", async () => {
    const { api } = storeWithHistory();
    const empty = await runBulkQuery(
      api.gql,
      `{ customers(query: "email:nobody@example.com") { edges { node { id } } } }`,
    );
    api.advance(1000);
    const full = await runBulkQuery(api.gql, `{ customers { edges { node { id } } } }`);
    await api.store.adminApi.bulk.completeAll();

    const reply = await api.gql(
      `query($id: ID!) {
        node(id: $id) { ... on BulkOperation { id status url fileSize objectCount } }
        completed: bulkOperations(first: 5, query: "status:completed operation_type:query") {
          nodes { id } }
        oldestFirst: bulkOperations(first: 5, reverse: true) { nodes { id } }
        currentBulkOperation { id }
      }`,
      { id: empty.bulkOperation!.id },
    );

    expect(reply.body.errors).toBeUndefined();
    expect(reply.body.data).toEqual({
      node: {
        id: empty.bulkOperation!.id,
        status: "COMPLETED",
        url: null,
        fileSize: null,
        objectCount: "0",
      },
      completed: { nodes: [{ id: full.bulkOperation!.id }, { id: empty.bulkOperation!.id }] },
      oldestFirst: { nodes: [{ id: empty.bulkOperation!.id }, { id: full.bulkOperation!.id }] },
      currentBulkOperation: { id: full.bulkOperation!.id },
    });
    expect(api.store.adminApi.bulk.get(bulkId(full.bulkOperation!.id))?.objectCount).toBe(3);
  });
});
