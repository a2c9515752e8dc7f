import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { logger } from "~/lib/logger.server";
import type { StoredDelivery } from "~/services/webhooks/stored-delivery";
import { applyStoredDeliveries } from "~/services/webhooks/batch.server";

/**
 * Webhook processing without a job per webhook (ADR 0034): the stored deliveries are the queue. A
 * worker claims up to `batchSize` due rows in one statement (FOR UPDATE SKIP LOCKED, so two claims
 * never get the same row) by pushing their `nextAttemptAt` a lease into the future, applies them
 * in transactions of up to `transactionSize` deliveries, `concurrency` transactions at a time
 * (ADR 0037; each commit clears `nextAttemptAt` of what it applied), then wakes the Flow,
 * Klaviyo and store-credit jobs once per shop for the whole batch. A worker that dies leaves
 * its claimed rows to come due again when the lease ends; the ledger's idempotency keys make a
 * second attempt at an applied delivery post nothing.
 */
export interface ClaimOptions {
  batchSize: number;
  /** Transactions of one batch open at once. */
  concurrency: number;
  /**
   * Deliveries of the frequent topics applied in one transaction (ADR 0037): fewer commits and
   * round trips per order. 1 applies every delivery in its own transaction. Default 8.
   */
  transactionSize?: number;
  /**
   * Claim loops per process, each waiting only for its own batch, so one slow delivery does not
   * idle the others. loops × concurrency stays below the Prisma pool's 10 connections (ADR 0020).
   */
  loops: number;
  /** Seconds a claim holds its rows before another worker may take them. */
  leaseSeconds: number;
  /** Milliseconds between polls when nothing is due. */
  idleMs: number;
}

const DEFAULT_TRANSACTION_SIZE = 8;

export const WEBHOOK_CLAIM_OPTIONS: ClaimOptions = {
  batchSize: 32,
  concurrency: 4,
  transactionSize: DEFAULT_TRANSACTION_SIZE,
  loops: 2,
  leaseSeconds: 60,
  idleMs: 100,
};

interface ClaimedRow {
  id: string;
  shopId: string;
  webhookId: string;
  eventId: string | null;
  topic: string;
  customerId: bigint | null;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: Prisma.JsonValue;
  receivedAt: Date;
  processedAt: Date | null;
  attempts: number;
  lastError: string | null;
  outcome: string | null;
  nextAttemptAt: Date | null;
  domain: string;
}

/** Claims up to `limit` due deliveries for `leaseSeconds`, oldest due first. */
export async function claimDueDeliveries(
  limit: number,
  leaseSeconds: number,
): Promise<StoredDelivery[]> {
  const rows = await prisma.$queryRaw<ClaimedRow[]>`
    WITH due AS (
      SELECT id FROM "WebhookDelivery"
      WHERE "nextAttemptAt" <= now() AT TIME ZONE 'UTC' AND "processedAt" IS NULL
      ORDER BY "nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "WebhookDelivery" AS d
    SET "nextAttemptAt" = now() AT TIME ZONE 'UTC' + make_interval(secs => ${leaseSeconds})
    FROM due, "Shop" AS s
    WHERE d.id = due.id AND s.id = d."shopId"
    RETURNING d.id::text AS id, d."shopId"::text AS "shopId", d."webhookId", d."eventId", d.topic,
      d."customerId", d."apiVersion", d."triggeredAt", d.payload, d."receivedAt", d."processedAt",
      d.attempts, d."lastError", d.outcome, d."nextAttemptAt", s.domain`;
  return rows.map(({ domain, ...delivery }) => ({
    ...delivery,
    shop: { id: delivery.shopId, domain },
  }));
}

/** Claims one batch and applies it. Returns how many deliveries it claimed. */
export async function processDueDeliveries(options: ClaimOptions = WEBHOOK_CLAIM_OPTIONS) {
  const claimed = await claimDueDeliveries(options.batchSize, options.leaseSeconds);
  if (claimed.length === 0) return 0;
  logger.info("webhook deliveries claimed", { count: claimed.length });
  const report = await applyStoredDeliveries(claimed, {
    transactionSize: options.transactionSize ?? DEFAULT_TRANSACTION_SIZE,
    concurrency: options.concurrency,
  });
  for (const { delivery, error } of report.failed) {
    logger.warn("webhook delivery failed; it is retried later", {
      deliveryId: delivery.id,
      topic: delivery.topic,
      attempts: delivery.attempts + 1,
      error: error.message.slice(0, 500),
    });
  }
  return claimed.length;
}

export interface ClaimLoop {
  stop(): Promise<void>;
}

/**
 * Polls for due deliveries until stopped: a full batch claims again at once, an empty poll waits
 * `idleMs`. A database error (a restart, a dropped connection) is logged and retried after a pause.
 */
export function startClaimLoop(options: ClaimOptions = WEBHOOK_CLAIM_OPTIONS): ClaimLoop {
  let stopping = false;
  const sleepers = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  const loop = async () => {
    while (!stopping) {
      try {
        const claimed = await processDueDeliveries(options);
        if (claimed < options.batchSize && !stopping) await pause(options.idleMs);
      } catch (error) {
        logger.error("claiming webhook deliveries failed", { error: (error as Error).message });
        if (!stopping) await pause(1000);
      }
    }
  };
  const running = Promise.all(Array.from({ length: Math.max(1, options.loops) }, loop));
  return {
    async stop() {
      stopping = true;
      for (const wake of [...sleepers]) wake();
      await running;
    },
  };
}

declare global {
  var loyaltyWebhookClaims: ClaimLoop | undefined;
}

/** Starts this process's claim loop (once; the job workers call it). */
export function startWebhookClaims(options: ClaimOptions = WEBHOOK_CLAIM_OPTIONS) {
  globalThis.loyaltyWebhookClaims ??= startClaimLoop(options);
}

/** Stops the claim loop, letting the batch in hand finish (shutdown). */
export async function stopWebhookClaims() {
  const loop = globalThis.loyaltyWebhookClaims;
  globalThis.loyaltyWebhookClaims = undefined;
  await loop?.stop();
}
