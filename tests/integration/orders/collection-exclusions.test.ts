import { afterEach, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { claimDueDeliveries } from "~/jobs/workers/webhooks/claims.worker";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { applyStoredDeliveries } from "~/services/webhooks/batch.server";
import { processWebhookDelivery } from "~/services/webhooks/processing.server";
import { saveProgram } from "~/services/program/versions.server";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { deliver, expectBalanceMatchesLedger, memberOf, newStore } from "../../support/deliveries";
import { standInAdmin } from "../../support/stand-in-admin";
import { callAction, webhook } from "../../support/webhooks";

// Order webhooks name products, not collections: the worker reads which collections the products
// are in through the shop's offline session, here the Shopify stand-in over the same store.
const admin = vi.hoisted(() => ({ current: null as null | unknown, queries: [] as string[] }));
vi.mock("~/integrations/shopify/offline-admin.server", () => ({
  offlineAdmin: async () => {
    if (!admin.current) throw new Error("no offline session for the shop");
    return admin.current;
  },
}));

afterEach(() => {
  admin.current = null;
  admin.queries = [];
});

const collectionReads = () => admin.queries.filter((q) => q.includes("ProductCollections"));

/** A store whose "Gift wrap" product is in the "Wrapping" collection the program excludes. */
async function excludedWrapping(email: string, options: { exclude?: boolean } = {}) {
  const store = newStore();
  admin.current = standInAdmin(store, (query) => admin.queries.push(query));
  const wrapping = store.addCollection("Wrapping");
  const wrap = store.product("Gift wrap");
  const vase = store.product("Vase");
  store.addProductToCollection(wrap.id, wrapping.id);
  const customer = store.addCustomer({ email });
  await deliver("customers/create", customer);
  const shop = await prisma.shop.findFirstOrThrow();
  await saveProgram(
    prisma,
    shop.id,
    { earning: { excludedCollectionIds: options.exclude === false ? [] : [String(wrapping.id)] } },
    "test",
  );
  return { store, customer, wrapping, wrap, vase, shopId: shop.id };
}

function order(store: SandboxStore, customer: { id: number }, wrapId: number, vaseId: number) {
  return store.addPaidOrder(store.customers.get(customer.id)!, [
    { title: "Gift wrap", price: "5.00", quantity: 2, productId: wrapId },
    { title: "Vase", price: "40.00", quantity: 1, productId: vaseId },
  ]);
}

describe("excluded collections earn nothing", () => {
  it("a line in an excluded collection earns nothing; the next order uses the cached collections", async () => {
    const { store, customer, wrap, vase } = await excludedWrapping("collections-1@example.com");

    await deliver("orders/paid", order(store, customer, wrap.id, vase.id));
    expect((await memberOf(customer.id))?.pointsBalance).toBe(40);
    expect(collectionReads()).toHaveLength(1);

    await deliver("orders/paid", order(store, customer, wrap.id, vase.id));
    expect((await memberOf(customer.id))?.pointsBalance).toBe(80);
    expect(collectionReads()).toHaveLength(1);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("a products/update webhook makes the cached collections stale, and the next order reads them again", async () => {
    const { store, customer, wrap, vase, wrapping } = await excludedWrapping(
      "collections-2@example.com",
    );
    await deliver("orders/paid", order(store, customer, wrap.id, vase.id));
    expect((await memberOf(customer.id))?.pointsBalance).toBe(40);

    // The vase joins the excluded collection too: Shopify sends products/update for it.
    await deliver("products/update", store.addProductToCollection(vase.id, wrapping.id));
    await deliver("orders/paid", order(store, customer, wrap.id, vase.id));

    expect((await memberOf(customer.id))?.pointsBalance).toBe(40);
    expect(collectionReads()).toHaveLength(2);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("a redelivered order keeps the collections it was earned with, even after they changed", async () => {
    const { store, customer, wrap, vase, wrapping } = await excludedWrapping(
      "collections-redelivered@example.com",
    );
    const paid = order(store, customer, wrap.id, vase.id);
    await deliver("orders/paid", paid);
    await deliver("products/update", store.addProductToCollection(vase.id, wrapping.id));

    await deliver("orders/paid", paid);

    expect((await memberOf(customer.id))?.pointsBalance).toBe(40);
    const member = await memberOf(customer.id);
    expect(await prisma.ledgerEntry.count({ where: { memberId: member!.id } })).toBe(1);
    // Every line was known from the stored order: nothing was read again.
    expect(collectionReads()).toHaveLength(1);
  });

  it("collections/update makes every cached product stale; collections/delete those it named", async () => {
    const { store, customer, wrap, vase, wrapping } = await excludedWrapping(
      "collections-updated@example.com",
    );
    await deliver("orders/paid", order(store, customer, wrap.id, vase.id));
    await deliver("collections/update", { id: wrapping.id, title: "Wrapping" });
    await deliver("orders/paid", order(store, customer, wrap.id, vase.id));
    expect(collectionReads()).toHaveLength(2);

    // A deleted collection's products are in it no more; the vase's row did not name it.
    const sale = store.addCollection("Sale");
    await deliver("products/update", store.addProductToCollection(vase.id, sale.id));
    await deliver("orders/paid", order(store, customer, wrap.id, vase.id));
    expect(collectionReads()).toHaveLength(3);
    await deliver("collections/delete", { id: wrapping.id });
    await deliver("orders/paid", order(store, customer, wrap.id, vase.id));
    expect(collectionReads()).toHaveLength(4);
    const rows = await prisma.productCollections.findMany({
      where: { productId: { in: [BigInt(wrap.id), BigInt(vase.id)] } },
      orderBy: { productId: "asc" },
    });
    expect(rows.map((r) => [String(r.productId), r.stale])).toEqual([
      [String(wrap.id), false],
      [String(vase.id), false],
    ]);
    expect((await memberOf(customer.id))?.pointsBalance).toBe(160);
  });

  it("a line an order edit adds in an excluded collection earns nothing", async () => {
    const { store, customer, wrap, vase, wrapping } = await excludedWrapping(
      "collections-edit@example.com",
    );
    const paid = order(store, customer, wrap.id, vase.id);
    await deliver("orders/paid", paid);
    const edit = store.editOrder(paid, {
      add: [
        { title: "Ribbon", price: "3.00", quantity: 1 },
        { title: "Bowl", price: "20.00", quantity: 1 },
      ],
    });
    const ribbon = paid.line_items.find((line) => line.title === "Ribbon")!;
    store.addProductToCollection(ribbon.product_id, wrapping.id);
    await deliver("orders/edited", edit);

    expect((await memberOf(customer.id))?.pointsBalance).toBe(60);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("no collection excluded: no Admin API call and every line earns", async () => {
    const { store, customer, wrap, vase } = await excludedWrapping("collections-3@example.com", {
      exclude: false,
    });
    await deliver("orders/paid", order(store, customer, wrap.id, vase.id));
    expect((await memberOf(customer.id))?.pointsBalance).toBe(50);
    expect(admin.queries).toEqual([]);
  });

  it.each(["throttled", "http500"] as const)(
    "a %s lookup leaves the delivery to be retried with no ledger entry, then the retry earns",
    async (kind) => {
      const { store, customer, wrap, vase } = await excludedWrapping(
        `collections-fault-${kind}@example.com`,
      );
      store.adminApi.injectFault({ field: "nodes", kind });

      await expect(
        deliver("orders/paid", order(store, customer, wrap.id, vase.id)),
      ).rejects.toThrow(kind === "throttled" ? /THROTTLED|Throttled/ : /HTTP 500/);
      const delivery = await prisma.webhookDelivery.findFirstOrThrow({
        where: { topic: "ORDERS_PAID" },
        orderBy: { receivedAt: "desc" },
      });
      expect(delivery.processedAt).toBeNull();
      expect(delivery.nextAttemptAt).not.toBeNull();
      const member = await memberOf(customer.id);
      expect(await prisma.ledgerEntry.count({ where: { memberId: member!.id } })).toBe(0);

      await processWebhookDelivery(delivery.id);
      expect((await memberOf(customer.id))?.pointsBalance).toBe(40);
      await expectBalanceMatchesLedger(customer.id);
    },
  );

  it("orders claimed together read their collections before the shared transaction; a failed read goes one by one", async () => {
    const { store, customer, wrap, vase } = await excludedWrapping("collections-batch@example.com");
    const other = store.addCustomer({ email: "collections-batch-2@example.com" });
    await deliver("customers/create", other);
    let sent = 0;
    const send = async (payload: unknown) => {
      const request = webhook("/webhooks/orders", "orders/paid", payload, {
        webhookId: `collections-batch-${++sent}`,
      });
      expect((await callAction(ordersAction, request)).status).toBe(200);
    };
    for (let i = 0; i < 3; i++) {
      await send(order(store, customer, wrap.id, vase.id));
      await send(order(store, other, wrap.id, vase.id));
    }

    // The first claim shares one transaction; the lookup ran once, outside it.
    const first = await applyStoredDeliveries(await claimDueDeliveries(100, 60), {
      transactionSize: 8,
      concurrency: 2,
    });
    expect(first).toMatchObject({ shared: 6, single: 0, fallbacks: 0, failed: [] });
    expect(collectionReads()).toHaveLength(1);
    expect((await memberOf(customer.id))?.pointsBalance).toBe(120);
    expect((await memberOf(other.id))?.pointsBalance).toBe(120);

    // A new product, and Shopify throttles the read: that order waits, the other is applied.
    const lamp = store.product("Lamp");
    await send(
      store.addPaidOrder(store.customers.get(customer.id)!, [
        { title: "Lamp", price: "30.00", quantity: 1, productId: lamp.id },
      ]),
    );
    await send(order(store, other, wrap.id, vase.id));
    // Throttled twice: before the shared transaction, and again on its one-by-one attempt.
    store.adminApi.injectFault({ field: "nodes", kind: "throttled" });
    store.adminApi.injectFault({ field: "nodes", kind: "throttled" });
    const second = await applyStoredDeliveries(await claimDueDeliveries(100, 60), {
      transactionSize: 8,
      concurrency: 2,
    });
    expect(second).toMatchObject({ shared: 1, single: 1 });
    expect(second.failed).toHaveLength(1);
    const waiting = await prisma.webhookDelivery.findFirstOrThrow({
      where: { id: second.failed[0]!.delivery.id },
    });
    expect([waiting.processedAt, waiting.attempts]).toEqual([null, 1]);
    expect(waiting.lastError).toMatch(/THROTTLED|Throttled/);
    expect((await memberOf(customer.id))?.pointsBalance).toBe(120);
    expect((await memberOf(other.id))?.pointsBalance).toBe(160);
    await expectBalanceMatchesLedger(customer.id);
    await expectBalanceMatchesLedger(other.id);
  });
});
