import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { claimDueDeliveries } from "~/jobs/workers/webhooks/claims.worker";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { applyStoredDeliveries } from "~/services/webhooks/batch.server";
import { expectBalanceMatchesLedger, memberOf, newStore } from "../../support/deliveries";
import { callAction, webhook } from "../../support/webhooks";

let sequence = 0;

async function send(payload: unknown, topic = "orders/paid", webhookId = `batch-${++sequence}`) {
  const response = await callAction(
    ordersAction,
    webhook("/webhooks/orders", topic, payload, { webhookId }),
  );
  expect(response.status).toBe(200);
  return prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId } });
}

/** Everything due, claimed the way the worker claims it. */
async function claimAll() {
  return claimDueDeliveries(1000, 60);
}

async function deliveryStates(ids: string[]) {
  const rows = await prisma.webhookDelivery.findMany({ where: { id: { in: ids } } });
  return new Map(rows.map((r) => [r.id, r]));
}

describe("deliveries applied in shared transactions (ADR 0037)", () => {
  it("commits a batch of orders together, each once, with the same balances as one by one", async () => {
    // GIVEN 12 paid orders of three customers, one of them delivered twice under two webhook ids
    const store = newStore();
    const customers = [1, 2, 3].map((i) => store.addCustomer({ email: `shared-${i}@example.com` }));
    const sent = [];
    for (let i = 0; i < 12; i++) {
      const order = store.addPaidOrder(customers[i % 3]!, [
        { title: "Tea", price: `${10 + i}.00`, quantity: 1 },
      ]);
      sent.push(await send(order));
      if (i === 4) sent.push(await send(order)); // a redelivery under a new webhook id
    }

    // WHEN the worker applies them in transactions of five
    const report = await applyStoredDeliveries(await claimAll(), {
      transactionSize: 5,
      concurrency: 2,
    });

    // THEN all 13 were committed in shared transactions, none failed
    expect(report).toMatchObject({ shared: 13, single: 0, fallbacks: 0, failed: [] });
    const states = await deliveryStates(sent.map((d) => d.id));
    expect([...states.values()].map((d) => [d.attempts, d.nextAttemptAt, d.lastError])).toEqual(
      Array(13).fill([1, null, null]),
    );
    expect([...states.values()].every((d) => d.processedAt !== null)).toBe(true);
    // AND the order delivered twice earned once
    const expected = [0, 1, 2].map((c) =>
      Array.from({ length: 12 }, (_, i) => i)
        .filter((i) => i % 3 === c)
        .reduce((sum, i) => sum + 10 + i, 0),
    );
    for (const [c, customer] of customers.entries()) {
      expect((await memberOf(customer.id))!.pointsBalance).toBe(expected[c]);
      await expectBalanceMatchesLedger(customer.id);
    }
    const events = await prisma.loyaltyEvent.count({
      where: { customerId: { in: customers.map((c) => BigInt(c.id)) }, type: "points.added" },
    });
    expect(events).toBe(12);
  });

  it("a paid order and its refund in one transaction net out as they would apart", async () => {
    const store = newStore();
    const customer = store.addCustomer({ email: "shared-refund@example.com" });
    const order = store.addPaidOrder(customer, [{ title: "Mug", price: "20.00", quantity: 2 }]);
    const paid = await send(order);
    const refund = await send(
      store.refundLineItem(order, order.line_items[0]!.id, 1),
      "refunds/create",
    );

    const report = await applyStoredDeliveries(await claimAll(), {
      transactionSize: 8,
      concurrency: 1,
    });

    expect(report).toMatchObject({ shared: 2, fallbacks: 0 });
    const states = await deliveryStates([paid.id, refund.id]);
    expect([...states.values()].map((d) => d.outcome)).toEqual(["applied", "applied"]);
    expect((await memberOf(customer.id))!.pointsBalance).toBe(20);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("one bad delivery rolls back only its shared transaction, whose others are then applied alone", async () => {
    // GIVEN good orders, an invalid payload, and an order the database refuses (its id does not fit
    // a bigint), all due together
    const store = newStore();
    const customer = store.addCustomer({ email: "shared-bad@example.com" });
    const good = [];
    for (let i = 0; i < 4; i++) {
      const order = store.addPaidOrder(customer, [{ title: "Jam", price: "5.00", quantity: 1 }]);
      good.push(await send(order));
    }
    const invalid = await send({ id: "not-a-number", customer: "?" });
    const refusedOrder = store.addPaidOrder(customer, [
      { title: "Pie", price: "7.00", quantity: 1 },
    ]);
    const refused = await send({ ...refusedOrder, id: "99999999999999999999" });

    // WHEN they are applied in one shared transaction
    const report = await applyStoredDeliveries(await claimAll(), {
      transactionSize: 10,
      concurrency: 1,
    });

    // THEN the transaction failed and was redone one by one: the good orders are applied once
    expect(report.fallbacks).toBe(1);
    expect(report.shared).toBe(0);
    expect(report.single).toBe(6);
    expect(report.failed.map((f) => f.delivery.id)).toEqual([refused.id]);
    const states = await deliveryStates([...good, invalid, refused].map((d) => d.id));
    for (const delivery of good) {
      expect(states.get(delivery.id)).toMatchObject({ outcome: "applied", attempts: 1 });
    }
    expect((await memberOf(customer.id))!.pointsBalance).toBe(20);
    await expectBalanceMatchesLedger(customer.id);
    // AND the invalid payload is rejected for good, the refused order waits for a retry
    expect(states.get(invalid.id)).toMatchObject({ outcome: "rejected", nextAttemptAt: null });
    const waiting = states.get(refused.id)!;
    expect(waiting.processedAt).toBeNull();
    expect(waiting.attempts).toBe(1);
    expect(waiting.lastError).toMatch(/bigint|out of range/i);
    expect(waiting.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it("concurrent shared transactions over the same customers lose and double nothing", async () => {
    // GIVEN 40 orders of 4 customers, applied by two batches at once, 4 transactions each
    const store = newStore();
    const customers = [1, 2, 3, 4].map((i) =>
      store.addCustomer({ email: `shared-race-${i}@example.com` }),
    );
    for (let i = 0; i < 40; i++) {
      const order = store.addPaidOrder(customers[i % 4]!, [
        { title: "Tea", price: "3.00", quantity: 1 },
      ]);
      await send(order);
    }
    const [first, second] = await Promise.all([
      claimDueDeliveries(20, 60),
      claimDueDeliveries(20, 60),
    ]);

    const reports = await Promise.all(
      [first!, second!].map((claimed) =>
        applyStoredDeliveries(claimed, { transactionSize: 5, concurrency: 4 }),
      ),
    );

    expect(reports.flatMap((r) => r.failed)).toEqual([]);
    // Each transaction locks members in customer order, so none of them deadlocked
    expect(reports.map((r) => r.fallbacks)).toEqual([0, 0]);
    for (const customer of customers) {
      expect((await memberOf(customer.id))!.pointsBalance).toBe(30);
      await expectBalanceMatchesLedger(customer.id);
    }
  });

  it("transactionSize 1 applies every delivery in its own transaction", async () => {
    const store = newStore();
    const customer = store.addCustomer({ email: "shared-off@example.com" });
    for (let i = 0; i < 3; i++) {
      await send(store.addPaidOrder(customer, [{ title: "Tea", price: "1.00", quantity: 1 }]));
    }

    const report = await applyStoredDeliveries(await claimAll(), {
      transactionSize: 1,
      concurrency: 2,
    });

    expect(report).toMatchObject({ shared: 0, single: 3, fallbacks: 0 });
    expect((await memberOf(customer.id))!.pointsBalance).toBe(3);
  });
});
