import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getBoss } from "~/jobs/queues/boss.server";
import { runReconciliation } from "~/jobs/workers/ledger/reconcile.worker";
import { registerWorkers } from "~/jobs/workers/index.server";
import { action as addPointsAction } from "~/routes/flow.add-points";
import { loader as proxyLoader } from "~/routes/proxy._index";
import { action as complianceAction } from "~/routes/webhooks.compliance";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { expectedBalances, paidOrders, storeFor } from "../../bench/harness/orders";
import type { OutgoingWebhook } from "../../bench/harness/webhook-load";
import { signAppProxyQuery, signedFlowActionRequest } from "../../sandbox/shopify/signing";
import { API_SECRET, APP_URL, callAction, webhook } from "../support/webhooks";
import { balancesOf, sendThroughRoute, waitUntilProcessed } from "./support/replay";
import { sized } from "./support/size";

const A = "shop-a.myshopify.com";
const B = "shop-b.myshopify.com";

/** Everything stored for a shop that another shop's traffic must never touch. */
async function stateOf(domain: string) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { domain } });
  const where = { shopId: shop.id };
  return {
    members: await prisma.member.findMany({ where, orderBy: { customerId: "asc" } }),
    entries: await prisma.ledgerEntry.count({ where }),
    events: await prisma.loyaltyEvent.count({ where }),
    deliveries: await prisma.webhookDelivery.count({ where }),
    drift: await prisma.ledgerDrift.count({ where }),
  };
}

async function proxy(shop: string) {
  const params = {
    shop,
    logged_in_customer_id: "",
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
  };
  const signed = { ...params, signature: signAppProxyQuery(params, API_SECRET) };
  const request = new Request(`${APP_URL}/proxy?${new URLSearchParams(signed)}`);
  return (await proxyLoader({ request, params: {}, context: {} })).json();
}

describe("two shops with the same customer and order ids", () => {
  it("never read or write across shops (webhooks, jobs, Flow actions, compliance, proxy)", async () => {
    // GIVEN two stores whose customers and orders have the same ids, but B's orders are twice as big
    const ordersA = paidOrders(storeFor(A), {
      count: sized(600, 150),
      customers: 30,
      seed: 5,
      webhookPrefix: "same",
    });
    const ordersB: OutgoingWebhook[] = ordersA.map((delivery) => {
      const order = structuredClone(delivery.payload) as { line_items: { quantity: number }[] };
      for (const line of order.line_items) line.quantity *= 2;
      return { ...delivery, payload: order };
    });
    await prisma.session.create({
      data: { id: `offline_${A}`, shop: A, state: "", accessToken: "shpat_a" },
    });
    await registerWorkers(await getBoss());

    // WHEN both shops' webhooks (same webhook ids too) arrive interleaved and are applied
    await Promise.all([sendThroughRoute(A, ordersA, 8), sendThroughRoute(B, ordersB, 8)]);
    await waitUntilProcessed(A, 300_000);
    await waitUntilProcessed(B, 300_000);

    // THEN each shop's balances follow its own orders only
    expect(await balancesOf(A)).toEqual(expectedBalances(ordersA));
    expect(await balancesOf(B)).toEqual(expectedBalances(ordersB));

    // WHEN shop A alone gets a Flow action, a GDPR redaction, its daily run and a reconciliation
    const before = await stateOf(B);
    const customerId = (ordersA[0]!.payload as { customer: { id: number } }).customer.id;
    const flow = await callAction(
      addPointsAction,
      signedFlowActionRequest({
        url: `${APP_URL}/flow/add-points`,
        secret: API_SECRET,
        shop: A,
        handle: "add-points",
        actionRunId: "same-run-id",
        properties: { customer_id: customerId, points: 100 },
      }),
    );
    expect(flow.status).toBe(200);
    const redact = await callAction(
      complianceAction,
      webhook(
        "/webhooks/compliance",
        "customers/redact",
        { shop_id: 1, shop_domain: A, customer: { id: customerId }, orders_to_redact: [] },
        { shop: A, webhookId: "redact-a" },
      ),
    );
    expect(redact.status).toBe(200);
    await waitUntilProcessed(A, 60_000);
    const shopA = await prisma.shop.findUniqueOrThrow({ where: { domain: A } });
    await runDailyMaintenance(shopA.id);
    await runReconciliation();

    // THEN A changed, and B is exactly as it was
    const memberA = await prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId: shopA.id, customerId: BigInt(customerId) } },
    });
    expect(memberA.pointsBalance).toBe(expectedBalances(ordersA).get(customerId)! + 100);
    expect(memberA.email).toBeNull();
    expect(await stateOf(B)).toEqual(before);
    expect(before.members.find((m) => Number(m.customerId) === customerId)?.email).not.toBeNull();
    // AND reads are per shop too: the proxy knows A's session, not B's
    expect(await proxy(A)).toMatchObject({ installed: true });
    expect(await proxy(B)).toMatchObject({ installed: false });
  });
});
