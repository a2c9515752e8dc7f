import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as complianceAction } from "~/routes/webhooks.compliance";
import { action as customersAction } from "~/routes/webhooks.customers";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { action as uninstalledAction } from "~/routes/webhooks.app.uninstalled";
import { processWebhookDelivery } from "~/services/webhooks/processing.server";
import { callAction, TEST_SHOP, webhook } from "../../support/webhooks";

const customer = { id: 7001, email: "ada@example.com", phone: "+15550001111" };

async function deliver(path: string, topic: string, payload: unknown, action = complianceAction) {
  const webhookId = `wh-${topic}-${Math.random()}`;
  const response = await callAction(action, webhook(path, topic, payload, { webhookId }));
  expect(response.status).toBe(200);
  const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId } });
  return delivery;
}

async function deliverAndProcess(topic: string, payload: unknown) {
  const delivery = await deliver("/webhooks/compliance", topic, payload);
  await processWebhookDelivery(delivery.id);
  return delivery;
}

describe("compliance webhooks", () => {
  it("customers/data_request assembles what is stored about the customer", async () => {
    // GIVEN an order of the customer and one of somebody else
    await deliver(
      "/webhooks/orders",
      "orders/paid",
      { id: 501, email: customer.email, customer },
      ordersAction,
    );
    await deliver(
      "/webhooks/orders",
      "orders/paid",
      { id: 502, customer: { id: 9999 } },
      ordersAction,
    );

    // WHEN Shopify asks for the customer's data
    await deliverAndProcess("customers/data_request", {
      shop_id: 1,
      shop_domain: TEST_SHOP,
      orders_requested: [501],
      customer,
      data_request: { id: 88 },
    });

    // THEN a completed request holds their order and nobody else's
    const request = await prisma.complianceRequest.findFirstOrThrow({
      where: { topic: "CUSTOMERS_DATA_REQUEST", customerId: BigInt(customer.id) },
    });
    expect(request.completedAt).not.toBeNull();
    expect(request.requestId).toBe("88");
    const result = request.result as { shopifyEventsReceived: { payload: { id: number } }[] };
    expect(result.shopifyEventsReceived.map((e) => e.payload.id)).toEqual([501]);
  });

  it("customers/redact removes the customer's personal data and keeps others'", async () => {
    await deliver(
      "/webhooks/orders",
      "orders/paid",
      { id: 601, email: customer.email, customer },
      ordersAction,
    );
    const other = await deliver(
      "/webhooks/orders",
      "orders/paid",
      { id: 602, email: "bob@example.com", customer: { id: 8001 } },
      ordersAction,
    );

    const signup = await deliver(
      "/webhooks/customers",
      "customers/create",
      customer,
      customersAction,
    );
    await processWebhookDelivery(signup.id);

    await deliverAndProcess("customers/redact", {
      shop_id: 1,
      shop_domain: TEST_SHOP,
      customer,
      orders_to_redact: [601],
    });

    const stored = await prisma.webhookDelivery.findMany({
      where: { customerId: BigInt(customer.id) },
    });
    expect(stored.length).toBeGreaterThan(0);
    for (const delivery of stored) {
      expect(JSON.stringify(delivery.payload)).not.toContain(customer.email);
      expect(JSON.stringify(delivery.payload)).not.toContain(customer.phone);
    }
    const exports = await prisma.complianceRequest.findMany({
      where: { topic: "CUSTOMERS_DATA_REQUEST", customerId: BigInt(customer.id) },
    });
    expect(
      exports.every((e) => JSON.stringify(e.result) === JSON.stringify({ redacted: true })),
    ).toBe(true);
    const member = await prisma.member.findFirstOrThrow({
      where: { customerId: BigInt(customer.id) },
    });
    expect(member).toMatchObject({ status: "redacted", email: null, phone: null });
    const activated = await prisma.loyaltyEvent.findFirstOrThrow({
      where: { memberId: member.id },
    });
    expect(activated.snapshot).toMatchObject({ email: null, phone: null });
    const untouched = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: other.id } });
    expect(JSON.stringify(untouched.payload)).toContain("bob@example.com");
  });

  it("processing a delivery twice applies it once", async () => {
    const delivery = await deliver("/webhooks/compliance", "customers/data_request", {
      shop_id: 1,
      shop_domain: TEST_SHOP,
      customer: { id: 7100 },
      data_request: { id: 91 },
    });

    await processWebhookDelivery(delivery.id);
    await processWebhookDelivery(delivery.id);

    expect(await prisma.complianceRequest.count({ where: { requestId: "91" } })).toBe(1);
  });

  it("app/uninstalled drops the sessions; shop/redact removes everything of the shop", async () => {
    await prisma.session.create({
      data: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "", accessToken: "shpat_test" },
    });

    const uninstall = await callAction(
      uninstalledAction,
      webhook("/webhooks/app/uninstalled", "app/uninstalled", { id: 1, domain: TEST_SHOP }),
    );
    expect(uninstall.status).toBe(200);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(
      (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).uninstalledAt,
    ).not.toBeNull();

    await deliverAndProcess("shop/redact", { shop_id: 1, shop_domain: TEST_SHOP });

    expect(await prisma.shop.count({ where: { domain: TEST_SHOP } })).toBe(0);
    expect(await prisma.webhookDelivery.count()).toBe(0);
    expect(await prisma.complianceRequest.count()).toBe(0);
  });
});
