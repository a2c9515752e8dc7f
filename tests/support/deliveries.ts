import { expect } from "vitest";
import prisma from "~/db.server";
import { action as catalogAction } from "~/routes/webhooks.catalog";
import { action as complianceAction } from "~/routes/webhooks.compliance";
import { action as customersAction } from "~/routes/webhooks.customers";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { processWebhookDelivery } from "~/services/webhooks/processing.server";
import { SandboxStore } from "../../sandbox/shopify/store";
import { callAction, TEST_SHOP, webhook } from "./webhooks";

const ROUTES: Record<string, { path: string; action: typeof ordersAction }> = {
  orders: { path: "/webhooks/orders", action: ordersAction },
  refunds: { path: "/webhooks/orders", action: ordersAction },
  customers: { path: "/webhooks/customers", action: customersAction },
  customers_email_marketing_consent: { path: "/webhooks/customers", action: customersAction },
  products: { path: "/webhooks/catalog", action: catalogAction },
  collections: { path: "/webhooks/catalog", action: catalogAction },
  // Whole topics whose prefix another route takes.
  "customers/redact": { path: "/webhooks/compliance", action: complianceAction },
};

let sequence = 0;

/** Sends a signed webhook through its real route, then runs the job the route queued. */
export async function deliver(topic: string, payload: unknown, webhookId = `wh-${++sequence}`) {
  const route = ROUTES[topic] ?? ROUTES[topic.split("/")[0]!]!;
  const response = await callAction(
    route.action,
    webhook(route.path, topic, payload, { webhookId }),
  );
  expect(response.status).toBe(200);
  const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId } });
  await processWebhookDelivery(delivery.id);
  return prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
}

let stores = 0;

/** A store whose ids never collide with another test's store in the same database. */
export function newStore() {
  stores += 1;
  return new SandboxStore(
    {
      id: 1,
      name: "Test store",
      domain: TEST_SHOP,
      email: "owner@example.com",
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
      countryCode: "US",
      plan: "Shopify",
    },
    stores * 10_000_000,
  );
}

export async function memberOf(customerId: number) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
  return prisma.member.findUnique({
    where: { shopId_customerId: { shopId: shop.id, customerId: BigInt(customerId) } },
  });
}

/** The invariant every test ends with: the cached balance is the sum of the member's entries. */
export async function expectBalanceMatchesLedger(customerId: number) {
  const member = await memberOf(customerId);
  if (!member) return;
  const sum = await prisma.ledgerEntry.aggregate({
    where: { memberId: member.id },
    _sum: { points: true },
  });
  expect(member.pointsBalance).toBe(sum._sum.points ?? 0);
}

export async function eventsOf(customerId: number, type?: string) {
  return prisma.loyaltyEvent.findMany({
    where: { customerId: BigInt(customerId), ...(type ? { type } : {}) },
    orderBy: { createdAt: "asc" },
    include: { deliveries: true },
  });
}

/** A customers/merge payload as Shopify's webhook reference shows it (REST shape, GIDs). */
export function mergePayload(kept: { id: number }, deleted: { id: number }, status = "completed") {
  return {
    admin_graphql_api_customer_kept_id: `gid://shopify/Customer/${kept.id}`,
    admin_graphql_api_customer_deleted_id: `gid://shopify/Customer/${deleted.id}`,
    admin_graphql_api_job_id: null,
    status,
    errors: [],
  };
}
