import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { retryOnLockConflict } from "~/db/errors";
import { collectWakeups, sendWakeups } from "~/jobs/queues/wakeups.server";
import { logger } from "~/lib/logger.server";
import type { HandlerOutcome, StoredDelivery } from "./stored-delivery";
import {
  applyStoredDelivery,
  programReader,
  sharedTransactionHandler,
  type DeliveryHandler,
} from "./processing.server";

/** A batch of this many deliveries may run longer than Prisma's default 5 s transaction limit. */
const SHARED_TRANSACTION_TIMEOUT_MS = 30_000;

export interface BatchReport {
  /** Deliveries committed inside a shared transaction. */
  shared: number;
  /** Deliveries applied one by one (their topic needs it, or their shared transaction failed). */
  single: number;
  /** Shared transactions that failed and were redone one delivery at a time. */
  fallbacks: number;
  failed: { delivery: StoredDelivery; error: Error }[];
}

/**
 * Applies claimed deliveries with as few commits as possible (ADR 0037): the frequent topics in
 * transactions of up to `transactionSize` deliveries, `concurrency` transactions at a time; the
 * rest one by one. Deliveries are ordered by customer before they are grouped, so one customer's
 * deliveries share a transaction where they can and transactions mostly lock members in the same
 * order; a deadlock PostgreSQL still breaks (a refund names no customer to sort by) is retried
 * at once. A shared transaction that fails for any reason (a bad
 * payload, a deadlock, a lost connection) is rolled back whole and its deliveries are redone one
 * at a time, where a bad one is rejected or retried alone: one delivery never blocks or loses
 * the others.
 *
 * The Flow and Klaviyo wake-ups the events ask for are sent once per shop after everything has
 * committed (ADR 0034). They must not be sent from inside the shared transactions: the wake-up
 * is a singleton job per shop, so two transactions of one shop would wait on each other's
 * uncommitted wake-up while holding member locks the other wants (a deadlock).
 */
export async function applyStoredDeliveries(
  deliveries: readonly StoredDelivery[],
  options: { transactionSize: number; concurrency: number },
): Promise<BatchReport> {
  const report: BatchReport = { shared: 0, single: 0, fallbacks: 0, failed: [] };
  const shared: { delivery: StoredDelivery; handler: DeliveryHandler }[] = [];
  const single: StoredDelivery[] = [];
  const programs = programReader(prisma);
  for (const delivery of deliveries) {
    // A Shopify read that fails here is redone (and its failure recorded) on the one-by-one path.
    const handler =
      options.transactionSize > 1
        ? await sharedTransactionHandler(delivery, programs).catch(() => undefined)
        : undefined;
    if (handler) shared.push({ delivery, handler });
    else single.push(delivery);
  }
  shared.sort((a, b) => compareCustomers(a.delivery, b.delivery));
  const groups = chunks(shared, options.transactionSize);

  const applyOne = async (delivery: StoredDelivery) => {
    report.single++;
    const result = await applyStoredDelivery(delivery);
    if (result.status === "failed") report.failed.push({ delivery, error: result.error });
  };
  const work: (() => Promise<void>)[] = [
    ...groups.map((group) => async () => {
      try {
        await applyTogether(group);
        report.shared += group.length;
      } catch (error) {
        report.fallbacks++;
        logger.warn("shared webhook transaction failed; applying its deliveries one by one", {
          count: group.length,
          error: (error as Error).message.slice(0, 500),
        });
        for (const { delivery } of group) await applyOne(delivery);
      }
    }),
    ...single.map((delivery) => () => applyOne(delivery)),
  ];
  const wakeups = await collectWakeups(() => eachConcurrently(work, options.concurrency));
  await sendWakeups(wakeups);
  return report;
}

/** One transaction: every handler in turn, then one statement marks them all processed. */
async function applyTogether(group: { delivery: StoredDelivery; handler: DeliveryHandler }[]) {
  await retryOnLockConflict(() => applyTogetherOnce(group));
}

async function applyTogetherOnce(group: { delivery: StoredDelivery; handler: DeliveryHandler }[]) {
  await prisma.$transaction(
    async (tx) => {
      const programs = programReader(tx);
      const outcomes: HandlerOutcome[] = [];
      for (const { delivery, handler } of group) {
        outcomes.push((await handler(tx, delivery, programs)) ?? "applied");
      }
      await markProcessed(
        tx,
        group.map(({ delivery }) => delivery),
        outcomes,
      );
    },
    { timeout: SHARED_TRANSACTION_TIMEOUT_MS },
  );
}

async function markProcessed(
  tx: Prisma.TransactionClient,
  deliveries: StoredDelivery[],
  outcomes: HandlerOutcome[],
) {
  const marked = await tx.$executeRaw`
    UPDATE "WebhookDelivery" AS d
    SET "processedAt" = ${new Date().toISOString()}::timestamp(3), attempts = d.attempts + 1,
      "lastError" = NULL, outcome = u.outcome, "nextAttemptAt" = NULL
    FROM unnest(${deliveries.map((d) => d.id)}::uuid[], ${deliveries.map((d) => d.shopId)}::uuid[],
      ${outcomes}::text[]) AS u(id, "shopId", outcome)
    WHERE d.id = u.id AND d."shopId" = u."shopId"`;
  // A delivery removed meanwhile (its shop redacted) must not count as applied: redo one by one.
  if (marked !== deliveries.length) {
    throw new Error(`marked ${marked} of ${deliveries.length} deliveries processed`);
  }
}

/** By customer (deliveries without one last), then by arrival: one lock order for everyone. */
function compareCustomers(a: StoredDelivery, b: StoredDelivery) {
  if (a.customerId !== b.customerId) {
    if (a.customerId === null) return 1;
    if (b.customerId === null) return -1;
    return a.customerId < b.customerId ? -1 : 1;
  }
  return a.receivedAt.getTime() - b.receivedAt.getTime();
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

async function eachConcurrently(work: readonly (() => Promise<void>)[], concurrency: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(Math.max(1, concurrency), work.length) }, async () => {
      while (next < work.length) await work[next++]!();
    }),
  );
}
