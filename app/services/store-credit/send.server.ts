import type { Member, StoreCreditTransaction } from "@prisma/client";
import prisma from "~/db.server";
import { storeCreditMoney } from "~/domain/money";
import { minorToDecimalString } from "~/domain/rewards/money";
import { outcomeFromBalance } from "~/domain/store-credit";
import { ShopifyGraphqlError } from "~/integrations/shopify/admin-client.server";
import { ShopifyRefusal, type AdminCall } from "~/integrations/shopify/rewards.server";
import {
  creditStoreCredit,
  debitCashback,
  storeCreditBalance,
  type StoreCreditResult,
} from "~/integrations/shopify/store-credit.server";
import { recordEvent } from "../events/outbox.server";
import { shopMoneyLocale } from "../shops/money-locale.server";
import { programInForce } from "../program/versions.server";

/** A row sent longer ago than this without an answer has lost it: the balance tells what happened. */
export const LOST_ANSWER_MS = 2 * 60_000;
/** Throttled or Shopify unreachable before sending: try again after this (doubling, capped). */
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 30 * 60_000;

export interface SendReport {
  applied: number;
  skipped: number;
  failed: number;
  /** Still to send (throttled, Shopify unreachable) or waiting for a lost answer's read-back. */
  waiting: number;
  needsReview: number;
}

const customerGid = (row: StoreCreditTransaction) => `gid://shopify/Customer/${row.customerId}`;

/**
 * Sends a shop's pending cashback rows to Shopify, oldest first, and settles rows whose answer was
 * lost (ADR 0030). A row is claimed (pending → sending, one conditional update) before the call,
 * so two workers never send it twice; the balance read just before the call is kept on the row,
 * so after a timeout or a 5xx the balance read back says whether Shopify applied it.
 */
export async function sendStoreCredit(
  shopId: string,
  api: AdminCall,
  now = new Date(),
  batchSize = 50,
): Promise<SendReport> {
  const report: SendReport = { applied: 0, skipped: 0, failed: 0, waiting: 0, needsReview: 0 };
  const lostBefore = new Date(now.getTime() - LOST_ANSWER_MS);
  const rows = await prisma.storeCreditTransaction.findMany({
    where: {
      shopId,
      OR: [
        { state: "pending", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
        { state: "sending", sentAt: { lt: lostBefore } },
        {
          state: "needs_review",
          sentAt: { lt: lostBefore },
          OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
        },
      ],
    },
    orderBy: { createdAt: "asc" },
    take: batchSize,
  });
  for (const row of rows) {
    const outcome =
      row.state === "pending" ? await send(row, api, now) : await settleLost(row, api, now);
    report[outcome]++;
  }
  return report;
}

/** Whether the shop has rows the sender should look at now (for the sweep). */
export async function shopsWithStoreCreditWork(now = new Date()): Promise<string[]> {
  const lostBefore = new Date(now.getTime() - LOST_ANSWER_MS);
  const rows = await prisma.storeCreditTransaction.findMany({
    where: {
      OR: [
        { state: "pending", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
        { state: "sending", sentAt: { lt: lostBefore } },
        {
          state: "needs_review",
          sentAt: { lt: lostBefore },
          OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
        },
      ],
    },
    distinct: ["shopId"],
    select: { shopId: true },
  });
  return rows.map((r) => r.shopId);
}

type Outcome = keyof SendReport;

async function send(row: StoreCreditTransaction, api: AdminCall, now: Date): Promise<Outcome> {
  let before: number;
  try {
    before = await storeCreditBalance(api, customerGid(row), row.currency);
  } catch (error) {
    return retryLater(row, now, `balance not read: ${describe(error)}`);
  }
  // A debit takes at most what is left: the shopper may have spent the credit already.
  const amount = row.kind === "debit" ? Math.min(row.amountMinor, before) : row.amountMinor;
  if (amount <= 0) {
    await prisma.storeCreditTransaction.updateMany({
      where: { id: row.id, state: "pending" },
      data: {
        state: "skipped",
        appliedMinor: 0,
        balanceBeforeMinor: before,
        lastError: "nothing left to take back: the store credit was already spent",
      },
    });
    return "skipped";
  }
  const claimed = await prisma.storeCreditTransaction.updateMany({
    where: { id: row.id, state: "pending" },
    data: {
      state: "sending",
      sentAt: now,
      attempts: { increment: 1 },
      balanceBeforeMinor: before,
      appliedMinor: amount,
    },
  });
  if (claimed.count === 0) return "waiting"; // another worker has it
  const input = {
    customerGid: customerGid(row),
    amount: minorToDecimalString(amount, row.currency),
    currency: row.currency,
  };
  let result: StoreCreditResult;
  try {
    result =
      row.kind === "credit"
        ? await creditStoreCredit(api, { ...input, expiresAt: row.expiresAt })
        : await debitCashback(api, input);
  } catch (error) {
    if (error instanceof ShopifyRefusal) {
      // userErrors: Shopify ran nothing and will refuse the same input again (currency mismatch,
      // unknown customer, insufficient funds): visible to the merchant, not retried.
      await prisma.storeCreditTransaction.updateMany({
        where: { id: row.id, state: "sending" },
        data: { state: "failed", lastError: error.message },
      });
      return "failed";
    }
    if (error instanceof ShopifyGraphqlError) {
      // Throttled (or another GraphQL-level error): nothing ran; send again later.
      await prisma.storeCreditTransaction.updateMany({
        where: { id: row.id, state: "sending" },
        data: { state: "pending", sentAt: null, ...backoff(row, now), lastError: error.message },
      });
      return "waiting";
    }
    // Timeout, 5xx, network: Shopify may have applied it. Only the balance can tell (settleLost).
    await prisma.storeCreditTransaction.updateMany({
      where: { id: row.id, state: "sending" },
      data: { state: "needs_review", lastError: `outcome unknown: ${describe(error)}` },
    });
    return "needsReview";
  }
  await markApplied(row, amount, result.balanceAfterMinor, result.transactionId, now);
  return "applied";
}

/**
 * A row sent long enough ago without an answer: read the balance back. Moved by exactly the
 * amount → applied (and its event written); unmoved → send again; anything else (credit spent
 * or expiring in between) → needs review, shown to the merchant, never guessed.
 */
async function settleLost(
  row: StoreCreditTransaction,
  api: AdminCall,
  now: Date,
): Promise<Outcome> {
  let balance: number;
  try {
    balance = await storeCreditBalance(api, customerGid(row), row.currency);
  } catch (error) {
    await prisma.storeCreditTransaction.update({
      where: { id: row.id },
      data: { lastError: `balance not read back: ${describe(error)}` },
    });
    return row.state === "needs_review" ? "needsReview" : "waiting";
  }
  const amount = row.appliedMinor ?? row.amountMinor;
  const verdict = outcomeFromBalance(
    row.kind as "credit" | "debit",
    amount,
    row.balanceBeforeMinor ?? 0,
    balance,
  );
  if (verdict === "applied") {
    await markApplied(row, amount, balance, null, now);
    return "applied";
  }
  if (verdict === "not_applied") {
    await prisma.storeCreditTransaction.updateMany({
      where: { id: row.id, state: row.state },
      data: {
        state: "pending",
        sentAt: null,
        nextAttemptAt: null,
        lastError: "not applied by Shopify (balance unchanged): sending again",
      },
    });
    return "waiting";
  }
  await prisma.storeCreditTransaction.updateMany({
    where: { id: row.id, state: row.state },
    data: {
      state: "needs_review",
      // Looked at again daily (a person may have fixed the balance), never sent blindly.
      nextAttemptAt: new Date(now.getTime() + 86_400_000),
      lastError: `needs review: the balance went from ${row.balanceBeforeMinor} to ${balance}, which does not tell whether ${amount} was applied`,
    },
  });
  return "needsReview";
}

async function markApplied(
  row: StoreCreditTransaction,
  amount: number,
  balanceAfter: number,
  shopifyId: string | null,
  now: Date,
) {
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.storeCreditTransaction.updateMany({
      where: { id: row.id, state: { in: ["sending", "needs_review"] } },
      data: {
        state: "applied",
        appliedMinor: amount,
        balanceAfterMinor: balanceAfter,
        shopifyId,
        appliedAt: now,
        lastError: null,
      },
    });
    if (count === 0) return;
    const member: Member = await tx.member.update({
      where: { id: row.memberId },
      data: {
        storeCreditMinor: balanceAfter,
        storeCreditCurrency: row.currency,
        storeCreditMirrorAt: now,
      },
    });
    const { config } = await programInForce(tx, row.shopId);
    const locale = await shopMoneyLocale(tx, row.shopId);
    const money = storeCreditMoney(amount, balanceAfter, row.currency, locale);
    if (row.kind === "credit") {
      await recordEvent(
        tx,
        member,
        config,
        "store_credit.credited",
        {
          ...money,
          source: row.source === "manual" ? "manual" : "cashback",
          expires_at: row.expiresAt?.toISOString() ?? null,
        },
        now,
      );
    } else {
      await recordEvent(
        tx,
        member,
        config,
        "store_credit.debited",
        {
          ...money,
          order_id: row.orderId?.toString() ?? null,
          source: row.source === "manual" ? "manual" : "cashback",
        },
        now,
      );
    }
  });
}

async function retryLater(
  row: StoreCreditTransaction,
  now: Date,
  reason: string,
): Promise<Outcome> {
  await prisma.storeCreditTransaction.updateMany({
    where: { id: row.id, state: "pending" },
    data: { ...backoff(row, now), attempts: { increment: 1 }, lastError: reason },
  });
  return "waiting";
}

function backoff(row: StoreCreditTransaction, now: Date) {
  const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(row.attempts, 10));
  return { nextAttemptAt: new Date(now.getTime() + delay) };
}

function describe(error: unknown) {
  return error instanceof Error ? error.message : String(error);
}
