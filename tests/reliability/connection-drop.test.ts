import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { getBoss } from "~/jobs/queues/boss.server";
import { registerWorkers } from "~/jobs/workers/index.server";
import { logger } from "~/lib/logger.server";
import { action as ordersAction } from "~/routes/webhooks.orders";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../support/deliveries";
import { callAction, webhook } from "../support/webhooks";

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("database connection dropped mid-transaction", () => {
  it("the job fails, is retried, and its effect lands exactly once", async () => {
    const warnings = vi.spyOn(logger, "warn");
    // GIVEN a member with points, and another session holding the member's row lock, so the
    // next order's transaction will stop half-way (after its first writes, at the member lock)
    const store = newStore();
    const customer = store.addCustomer({ email: "dropped@example.com" });
    await deliver(
      "orders/paid",
      store.addPaidOrder(customer, [{ title: "Tea", price: "10.00", quantity: 1 }]),
    );
    const member = (await memberOf(customer.id))!;
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query("BEGIN");
    await blocker.query(`SELECT id FROM "Member" WHERE id = $1 FOR UPDATE`, [member.id]);
    await registerWorkers(await getBoss());

    // WHEN the next order arrives and its worker transaction's connection is terminated
    const order = store.addPaidOrder(customer, [{ title: "Cake", price: "25.00", quantity: 1 }]);
    const response = await callAction(
      ordersAction,
      webhook("/webhooks/orders", "orders/paid", order, { webhookId: "dropped-1" }),
    );
    expect(response.status).toBe(200);
    const victim = await waitFor(async () => {
      const { rows } = await blocker.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      );
      return rows[0]?.pid;
    });
    await blocker.query("SELECT pg_terminate_backend($1)", [victim]);
    await blocker.query("ROLLBACK");
    await blocker.end();

    // THEN the delivery is retried and applied once: the connection died under its shared
    // transaction, which rolled back whole and was redone one delivery at a time in the same
    // claim (ADR 0037), so the attempt that counts is the one that committed
    const delivery = await waitFor(() =>
      prisma.webhookDelivery.findFirst({
        where: { webhookId: "dropped-1", processedAt: { not: null } },
      }),
    );
    expect(delivery.attempts).toBe(1);
    expect(delivery.lastError).toBeNull();
    expect(delivery.outcome).toBe("applied");
    const entries = await prisma.ledgerEntry.findMany({ where: { orderId: BigInt(order.id) } });
    expect(entries.map((e) => [e.kind, e.points])).toEqual([["earn", 25]]);
    expect((await memberOf(customer.id))!.pointsBalance).toBe(35);
    await expectBalanceMatchesLedger(customer.id);
    const added = await eventsOf(customer.id, "points.added");
    expect(added).toHaveLength(2);
    // AND the failure was seen, not skipped: the shared transaction's fallback was logged
    expect(warnings.mock.calls.map(([message]) => message)).toContain(
      "shared webhook transaction failed; applying its deliveries one by one",
    );
    warnings.mockRestore();

    // AND the dead connection went back to no one: all 10 pooled connections can be held at once
    // (Prisma's own ROLLBACK-then-release leaked it; app/db/release-broken-connections.server.ts)
    const held = Array.from({ length: 10 }, () =>
      prisma.$transaction((tx) => tx.$executeRaw`SELECT pg_sleep(1.5)`, { maxWait: 1000 }),
    );
    await expect(Promise.all(held)).resolves.toHaveLength(10);
  });
});
