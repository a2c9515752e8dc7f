import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { action as customersAction } from "~/routes/webhooks.customers";
import { webhookHmac } from "../../../sandbox/shopify/signing";
import { API_SECRET, callAction, TEST_SHOP, webhook } from "../../support/webhooks";

const order = {
  id: 5_820_982_911_946,
  admin_graphql_api_id: "gid://shopify/Order/5820982911946",
  name: "#1001",
  total_price: "120.00",
  // 2^53 + 1: a JSON number loses the last digit, so the id must come from the gid string.
  customer: {
    id: Number("9007199254740993"),
    admin_graphql_api_id: "gid://shopify/Customer/9007199254740993",
  },
};

/** Deliveries waiting for a worker: the stored rows are the queue (ADR 0034). */
async function queuedJobs() {
  return prisma.webhookDelivery.count({
    where: { processedAt: null, nextAttemptAt: { lte: new Date() } },
  });
}

/** pg-boss jobs per webhook are gone: the acknowledgement writes one row and queues nothing. */
async function bossJobs() {
  const rows = await prisma.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM pgboss.job WHERE name = 'webhook.process'`;
  return Number(rows[0]?.count ?? 0);
}

describe("webhook intake", () => {
  it("records a correctly signed orders/paid and queues it once", async () => {
    // GIVEN a signed delivery
    const before = await queuedJobs();
    const request = webhook("/webhooks/orders", "orders/paid", order, { webhookId: "wh-paid-1" });

    // WHEN Shopify sends it
    const response = await callAction(ordersAction, request);

    // THEN it is acknowledged, stored with its customer, and one job is queued
    expect(response.status).toBe(200);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({
      where: { webhookId: "wh-paid-1" },
    });
    expect(delivery.topic).toBe("ORDERS_PAID");
    expect(delivery.customerId).toBe(9007199254740993n);
    expect(delivery.payload).toMatchObject({ name: "#1001", total_price: "120.00" });
    expect(await queuedJobs()).toBe(before + 1);
    expect(await bossJobs()).toBe(0);
    expect(Math.abs(delivery.triggeredAt!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(delivery.receivedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(Math.abs(delivery.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(delivery.shopId).toBe(shop.id);
  });

  it("answers 401 to a wrong HMAC and stores nothing", async () => {
    const before = await prisma.webhookDelivery.count();
    const jobsBefore = await queuedJobs();
    const request = webhook("/webhooks/orders", "orders/paid", order, {
      webhookId: "wh-forged",
      secret: "not-the-app-secret",
    });

    const response = await callAction(ordersAction, request);

    expect(response.status).toBe(401);
    expect(await prisma.webhookDelivery.count()).toBe(before);
    expect(await queuedJobs()).toBe(jobsBefore);
  });

  it("answers 401 when the body was changed after signing", async () => {
    const signed = webhook("/webhooks/orders", "orders/paid", order, { webhookId: "wh-tampered" });
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: JSON.stringify({ ...order, total_price: "99999.00" }),
    });

    const response = await callAction(ordersAction, tampered);

    expect(response.status).toBe(401);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-tampered" } })).toBe(0);
  });

  it("records a redelivered webhook id once and queues one job", async () => {
    const jobsBefore = await queuedJobs();
    const first = webhook(
      "/webhooks/customers",
      "customers/create",
      { id: 42, email: "a@example.com" },
      {
        webhookId: "wh-dup",
      },
    );
    const again = webhook(
      "/webhooks/customers",
      "customers/create",
      { id: 42, email: "a@example.com" },
      {
        webhookId: "wh-dup",
      },
    );

    const responses = [
      await callAction(customersAction, first),
      await callAction(customersAction, again),
    ];

    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-dup" } })).toBe(1);
    expect(await queuedJobs()).toBe(jobsBefore + 1);
  });

  it("records concurrent redeliveries of one id once", async () => {
    const requests = Array.from({ length: 5 }, () =>
      webhook(
        "/webhooks/orders",
        "refunds/create",
        { id: 7, order_id: 1 },
        { webhookId: "wh-race" },
      ),
    );

    const responses = await Promise.all(requests.map((r) => callAction(ordersAction, r)));

    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-race" } })).toBe(1);
  });

  it("refuses a topic sent to the wrong address", async () => {
    const request = webhook(
      "/webhooks/orders",
      "customers/create",
      { id: 1 },
      { webhookId: "wh-misrouted" },
    );

    const response = await callAction(ordersAction, request);

    expect(response.status).toBe(422);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-misrouted" } })).toBe(0);
  });

  it("answers 400 when Shopify's headers are missing", async () => {
    const request = new Request("https://loyalty-app.test/webhooks/orders", {
      method: "POST",
      body: JSON.stringify(order),
      headers: { "Content-Type": "application/json" },
    });

    const response = await callAction(ordersAction, request);

    expect(response.status).toBe(400);
  });
  it("answers 405 to anything but POST, as authenticate.webhook does", async () => {
    const signed = webhook("/webhooks/orders", "orders/paid", order, { webhookId: "wh-get" });
    const request = new Request(signed.url, { method: "GET", headers: signed.headers });

    const response = await callAction(ordersAction, request);

    expect(response.status).toBe(405);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-get" } })).toBe(0);
  });

  it("answers 400 to a correctly signed body that is not JSON, and stores nothing", async () => {
    const body = "{not json";
    const signed = webhook("/webhooks/orders", "orders/paid", order, { webhookId: "wh-not-json" });
    const headers = new Headers(signed.headers);
    headers.set("X-Shopify-Hmac-Sha256", webhookHmac(body, API_SECRET));
    const request = new Request(signed.url, { method: "POST", headers, body });

    const response = await callAction(ordersAction, request);

    expect(response.status).toBe(400);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-not-json" } })).toBe(0);
  });

  it("stores the headers' event id, API version and trigger time with the payload", async () => {
    const triggeredAt = new Date("2026-11-20T10:11:12.345Z");
    const request = webhook("/webhooks/orders", "orders/paid", order, {
      webhookId: "wh-headers",
      eventId: "event-123",
      apiVersion: "2026-10",
      triggeredAt,
    });

    expect((await callAction(ordersAction, request)).status).toBe(200);

    const stored = await prisma.webhookDelivery.findFirstOrThrow({
      where: { webhookId: "wh-headers" },
    });
    expect(stored).toMatchObject({
      eventId: "event-123",
      apiVersion: "2026-10",
      topic: "ORDERS_PAID",
      triggeredAt,
      customerId: 9007199254740993n,
      payload: order,
    });
  });

  it("accepts a new shop's first webhooks when they arrive at the same time", async () => {
    // GIVEN a shop the app has never heard of
    const shop = "brand-new-shop.myshopify.com";

    // WHEN its first ten webhooks arrive concurrently (on PostgreSQL they race to create the shop)
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        callAction(
          ordersAction,
          webhook(
            "/webhooks/orders",
            "orders/paid",
            { ...order, id: 7000 + i },
            {
              shop,
              webhookId: `wh-first-contact-${i}`,
            },
          ),
        ),
      ),
    );

    // THEN every one is accepted and recorded under one shop row
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const shops = await prisma.shop.findMany({ where: { domain: shop } });
    expect(shops).toHaveLength(1);
    expect(await prisma.webhookDelivery.count({ where: { shopId: shops[0]!.id } })).toBe(10);
  });
});
