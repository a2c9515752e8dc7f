import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { adjustPoints } from "~/services/ledger/adjust.server";
import { deliverPendingFlowTriggers } from "~/services/flow/delivery.server";
import { createTestAdminApi } from "../../../sandbox/shopify/admin-graphql/testing";
import { loadFlowTriggerSpecs } from "../../../sandbox/shopify/flow-trigger-specs";
import { deliver, newStore } from "../../support/deliveries";

/** The app's Admin API client shape, answered by the Shopify stand-in (schema-validated, costed). */
function adminFor(api: ReturnType<typeof createTestAdminApi>): AdminGraphql {
  return {
    graphql: async (query, options) =>
      new Response(JSON.stringify((await api.gql(query, options?.variables ?? {})).body)),
  };
}

async function memberWithEvents() {
  const store = newStore();
  const customer = store.addCustomer({ email: `flow${store.newId()}@example.com` });
  await deliver("customers/create", customer);
  const shop = await prisma.shop.findFirstOrThrow();
  await adjustPoints({
    shopId: shop.id,
    customerId: BigInt(customer.id),
    points: 25,
    note: null,
    source: "manual",
    idempotencyKey: `admin:${customer.id}`,
  });
  return { shopId: shop.id, customerId: customer.id };
}

describe("Flow trigger delivery", () => {
  it("fires each pending trigger once, in order, with the declared fields", async () => {
    const { shopId, customerId } = await memberWithEvents();
    // The stand-in checks each payload against the trigger declared in extensions/.
    const api = createTestAdminApi({ flowTriggers: loadFlowTriggerSpecs() });

    const first = await deliverPendingFlowTriggers(shopId, adminFor(api));
    const second = await deliverPendingFlowTriggers(shopId, adminFor(api));

    expect(first.delivered).toBeGreaterThanOrEqual(2);
    expect(first.rejected).toBe(0);
    expect(second.delivered).toBe(0);
    const mine = api.store.adminApi.flowTriggers.filter(
      (t) => t.payload.customer_id === customerId,
    );
    expect(mine.map((t) => t.handle)).toEqual(["loyalty-member-activated", "loyalty-points-added"]);
    expect(mine[1]?.payload).toMatchObject({
      customer_id: customerId,
      Points: 25,
      Source: "manual",
    });
    const states = await prisma.eventDelivery.groupBy({
      by: ["destination", "state"],
      where: { event: { customerId: BigInt(customerId) } },
      _count: true,
    });
    expect(states).toEqual(
      expect.arrayContaining([
        { destination: "flow", state: "delivered", _count: 2 },
        { destination: "klaviyo", state: "pending", _count: 2 },
      ]),
    );
  });

  it("keeps deliveries pending when Shopify throttles, and delivers on the retry", async () => {
    const { shopId } = await memberWithEvents();
    const throttled = createTestAdminApi({ bucket: { maxAvailable: 5, restoreRate: 1 } });

    const start = new Date();

    const first = await deliverPendingFlowTriggers(shopId, adminFor(throttled), 50, () => start);

    // The throttled trigger waits a moment (not a failed attempt); later ones wait behind it.
    expect(first.waitUntil!.getTime()).toBeGreaterThan(start.getTime());
    const head = await prisma.eventDelivery.findFirstOrThrow({
      where: { shopId, destination: "flow", nextAttemptAt: { not: null } },
    });
    expect(head).toMatchObject({ state: "pending", attempts: 0 });
    expect(head.lastError).toMatch(/Throttled/i);
    const early = await deliverPendingFlowTriggers(
      shopId,
      adminFor(createTestAdminApi()),
      50,
      () => start,
    );
    expect(early).toMatchObject({ delivered: 0, waitUntil: first.waitUntil });

    const later = () => new Date(first.waitUntil!.getTime() + 1);
    const report = await deliverPendingFlowTriggers(
      shopId,
      adminFor(createTestAdminApi()),
      50,
      later,
    );
    expect(report.remaining).toBe(0);
    expect(report.delivered).toBeGreaterThan(0);
  });
});

describe("the stand-in's Flow trigger checks", () => {
  it("refuses a payload with an undeclared key or a wrongly typed value", async () => {
    const api = createTestAdminApi({ flowTriggers: loadFlowTriggerSpecs() });
    const mutation = `mutation($handle: String, $payload: JSON) {
      flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`;

    const reply = await api.gql(mutation, {
      handle: "loyalty-points-added",
      payload: { customer_id: 1, Points: "40", Colour: "red" },
    });

    const errors = (reply.body.data?.flowTriggerReceive as { userErrors: { message: string }[] })
      .userErrors;
    expect(errors.map((e) => e.message)).toEqual([
      '"Points" must be a number_decimal',
      '"Colour" is not a field of trigger loyalty-points-added',
    ]);
    expect(api.store.adminApi.flowTriggers).toHaveLength(0);
  });
});

describe("queueing Flow delivery with the event", () => {
  it("a burst of events queues at most two delivery jobs (this slot and the next)", async () => {
    const { shopId, customerId } = await memberWithEvents();
    const flowJobs = async () => {
      const rows = await prisma.$queryRaw<{ count: bigint }[]>`
        SELECT count(*) AS count FROM pgboss.job
        WHERE name = 'flow.deliver' AND data->>'shopId' = ${shopId}`;
      return Number(rows[0]?.count);
    };
    const before = await flowJobs();

    for (let i = 0; i < 6; i++) {
      await adjustPoints({
        shopId,
        customerId: BigInt(customerId),
        points: 1,
        note: null,
        source: "manual",
        idempotencyKey: `burst:${customerId}:${i}`,
      });
    }

    expect(await flowJobs()).toBeGreaterThanOrEqual(Math.max(before, 1));
    expect((await flowJobs()) - before).toBeLessThanOrEqual(2);
  });
});
