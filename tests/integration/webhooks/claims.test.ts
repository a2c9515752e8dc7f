import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { claimDueDeliveries, processDueDeliveries } from "~/jobs/workers/webhooks/claims.worker";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { acceptWebhook } from "~/services/webhooks/intake.server";
import { MAX_ATTEMPTS } from "~/services/webhooks/processing.server";
import { expectBalanceMatchesLedger, memberOf, newStore } from "../../support/deliveries";
import { callAction, TEST_SHOP, webhook } from "../../support/webhooks";

const OPTIONS = { batchSize: 32, concurrency: 8, loops: 1, leaseSeconds: 60, idleMs: 10 };

async function send(payload: unknown, webhookId: string, topic = "orders/paid") {
  const response = await callAction(
    ordersAction,
    webhook("/webhooks/orders", topic, payload, { webhookId }),
  );
  expect(response.status).toBe(200);
  return prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId } });
}

/** Claims and applies batches until nothing is due (what the worker's loop does). */
async function drain() {
  let total = 0;
  for (;;) {
    const claimed = await processDueDeliveries(OPTIONS);
    if (claimed === 0) return total;
    total += claimed;
  }
}

async function flowJobs(shopId: string) {
  const rows = await prisma.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM pgboss.job
    WHERE name = 'flow.deliver' AND data->>'shopId' = ${shopId}`;
  return Number(rows[0]?.count);
}

describe("workers claim stored deliveries (ADR 0034)", () => {
  it("applies a batch once, marks it done, and wakes Flow delivery once for the shop", async () => {
    // GIVEN five paid orders of two customers, acknowledged through the real route
    const store = newStore();
    const ann = store.addCustomer({ email: "ann@example.com" });
    const bob = store.addCustomer({ email: "bob@example.com" });
    const sent = [];
    for (let i = 0; i < 5; i++) {
      const order = store.addPaidOrder(i % 2 ? bob : ann, [
        { title: "Tea", price: `${10 + i}.00`, quantity: 1 },
      ]);
      sent.push(await send(order, `claims-batch-${i}`));
    }
    const shopId = sent[0]!.shopId;
    const jobsBefore = await flowJobs(shopId);

    // WHEN a worker claims what is due and applies it
    const claimed = await drain();

    // THEN each delivery is processed once and no longer due
    expect(claimed).toBeGreaterThanOrEqual(5);
    const rows = await prisma.webhookDelivery.findMany({
      where: { id: { in: sent.map((d) => d.id) } },
    });
    expect(rows.map((r) => [r.outcome, r.attempts, r.nextAttemptAt])).toEqual(
      Array(5).fill(["applied", 1, null]),
    );
    expect((await memberOf(ann.id))!.pointsBalance).toBe(10 + 12 + 14);
    expect((await memberOf(bob.id))!.pointsBalance).toBe(11 + 13);
    await expectBalanceMatchesLedger(ann.id);
    await expectBalanceMatchesLedger(bob.id);
    // AND the five events woke Flow delivery with one job for the shop, not one per event
    expect((await flowJobs(shopId)) - jobsBefore).toBe(1);
    // AND nothing is claimed twice
    expect(await processDueDeliveries(OPTIONS)).toBe(0);
  });

  it("two concurrent claims never hand out the same delivery", async () => {
    const store = newStore();
    const customer = store.addCustomer({ email: "race@example.com" });
    for (let i = 0; i < 20; i++) {
      const order = store.addPaidOrder(customer, [{ title: "Tea", price: "1.00", quantity: 1 }]);
      await send(order, `claims-race-${i}`);
    }

    const [first, second] = await Promise.all([
      claimDueDeliveries(15, 60),
      claimDueDeliveries(15, 60),
    ]);

    const ids = [...first, ...second].map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(20);
    // Claimed rows are leased: not due again until the lease ends
    expect(await claimDueDeliveries(50, 60)).toEqual([]);
    // The claim returns the stored delivery as a handler reads it
    const one = first[0]!;
    expect(one.shop.domain).toBe(TEST_SHOP);
    expect(typeof one.payload).toBe("object");
    expect(one.receivedAt).toBeInstanceOf(Date);
    expect(one.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
  });

  it("a delivery whose lease ran out is applied again without a second effect", async () => {
    const store = newStore();
    const customer = store.addCustomer({ email: "lease@example.com" });
    const order = store.addPaidOrder(customer, [{ title: "Cake", price: "30.00", quantity: 1 }]);
    const delivery = await send(order, "claims-lease");
    // A worker claimed it, applied it, and died before... nothing: simulate two workers applying
    // the same delivery (the first one's lease expired while it was still working)
    const [claimed] = await claimDueDeliveries(50, 60);
    expect(claimed?.id).toBe(delivery.id);
    await prisma.webhookDelivery.update({
      where: { id: delivery.id },
      data: { nextAttemptAt: new Date(Date.now() - 1000) },
    });
    const [again] = await claimDueDeliveries(50, 60);
    expect(again?.id).toBe(delivery.id);

    const { applyStoredDelivery } = await import("~/services/webhooks/processing.server");
    const results = await Promise.all([applyStoredDelivery(claimed!), applyStoredDelivery(again!)]);

    expect(results.map((r) => r.status)).toEqual(["processed", "processed"]);
    const entries = await prisma.ledgerEntry.findMany({ where: { orderId: BigInt(order.id) } });
    expect(entries.map((e) => [e.kind, e.points])).toEqual([["earn", 30]]);
    expect((await memberOf(customer.id))!.pointsBalance).toBe(30);
    const events = await prisma.loyaltyEvent.count({
      where: { customerId: BigInt(customer.id), type: "points.added" },
    });
    expect(events).toBe(1);
  });

  it("a failing delivery is retried later with backoff, and stops after the last attempt", async () => {
    // GIVEN an orders/edited delivery: its handler reads the order from Shopify first, and this
    // shop has no offline session, so every attempt fails
    const delivery = await send(
      { order_edit: { id: 1, order_id: 424242, created_at: new Date().toISOString() } },
      "claims-failing",
      "orders/edited",
    );

    // WHEN a worker attempts it
    await drain();

    // THEN the failure is recorded and the next attempt is ~5 s away, not now
    const failed = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(failed.processedAt).toBeNull();
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toBeTruthy();
    const delay = failed.nextAttemptAt!.getTime() - Date.now();
    expect(delay).toBeGreaterThan(2_000);
    expect(delay).toBeLessThanOrEqual(5_000);
    expect(await processDueDeliveries(OPTIONS)).toBe(0);

    // AND on its last allowed attempt it fails for good: kept with its error, never due again
    await prisma.webhookDelivery.update({
      where: { id: delivery.id },
      data: { attempts: MAX_ATTEMPTS - 1, nextAttemptAt: new Date(Date.now() - 1) },
    });
    await drain();
    const given = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(given.attempts).toBe(MAX_ATTEMPTS);
    expect(given.nextAttemptAt).toBeNull();
    expect(given.processedAt).toBeNull();
  });

  it("a topic without a handler stays recorded but is not claimed again", async () => {
    const result = await acceptWebhook({
      shop: TEST_SHOP,
      topic: "PRODUCTS_CREATE",
      webhookId: "claims-no-handler",
      payload: { id: 1 },
    });
    expect(result.status).toBe("accepted");

    await drain();

    const stored = await prisma.webhookDelivery.findFirstOrThrow({
      where: { webhookId: "claims-no-handler" },
    });
    expect([stored.processedAt, stored.nextAttemptAt, stored.attempts]).toEqual([null, null, 0]);
  });

  it("an invalid payload is rejected once and not retried", async () => {
    const delivery = await send({ id: "not-a-number", customer: "?" }, "claims-invalid");

    await drain();

    const stored = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(stored.outcome).toBe("rejected");
    expect(stored.nextAttemptAt).toBeNull();
    expect(stored.lastError).toMatch(/invalid payload/);
  });
});
