import type { HistoryImport } from "@prisma/client";
import prisma from "~/db.server";
import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import {
  bulkResultLines,
  BulkQueryRefused,
  CUSTOMERS_BULK_QUERY,
  ordersBulkQuery,
  readBulkOperation,
  runBulkQuery,
  type BulkOperationState,
} from "~/integrations/shopify/bulk.server";
import { logger } from "~/lib/logger.server";
import { applyResultLines, type ResultFile } from "./apply.server";
import { HistoryChoicesSchema, ordersSince } from "./start.server";
import { valueImportedOrders } from "./valued.server";
import type { HistoryProblemValues } from "~/lib/history-problems";

/** What the caller (the job) does next: run again now, look again later, or nothing. */
export type NextStep = { kind: "again" } | { kind: "later"; at: Date } | { kind: "finished" };

export interface RunOptions {
  admin: AdminGraphql;
  /** Reads a bulk result (fetch, or the stand-in's in tests). */
  fetchFile?: typeof fetch;
  now?: Date;
  /** A run stops after this long and the job queues the next (a big store takes many). */
  budgetMs?: number;
  clock?: () => number;
  /**
   * Customers and their orders' values applied one by one, the reference path the set-based one
   * is held equal to (ADR 0074; tests only).
   */
  oneByOne?: boolean;
}

const POLL_MS = 10_000;
const BUSY_RETRY_MS = 30_000;

/**
 * Moves one history import on (issue 18), from wherever it stands: start its two bulk
 * operations (customers; orders of the spend and points windows), wait for Shopify, then apply
 * each result from the line after the last chunk applied. Everything it writes is keyed (members
 * by customer, orders by id, ledger entries by key), so a rerun or a resumed run after a crash
 * applies nothing twice.
 */
export async function advanceHistoryImport(
  importId: string,
  options: RunOptions,
): Promise<NextStep> {
  const run = await prisma.historyImport.findUnique({ where: { id: importId } });
  if (!run || !["queued", "fetching", "applying"].includes(run.state)) return { kind: "finished" };
  const now = options.now ?? new Date();
  if (run.state === "queued") return startOperations(run, options.admin, now);
  if (run.state === "fetching") return awaitOperations(run, options.admin, now);
  return applyResults(run, options, now);
}

async function startOperations(
  run: HistoryImport,
  admin: AdminGraphql,
  now: Date,
): Promise<NextStep> {
  const choices = HistoryChoicesSchema.parse(run.choices);
  try {
    const customers = run.customersOperationId ?? (await runBulkQuery(admin, CUSTOMERS_BULK_QUERY));
    await prisma.historyImport.update({
      where: { id: run.id },
      data: { customersOperationId: customers, startedAt: run.startedAt ?? now },
    });
    const orders = await runBulkQuery(admin, ordersBulkQuery(ordersSince(choices, now)));
    await prisma.historyImport.update({
      where: { id: run.id },
      data: { ordersOperationId: orders, state: "fetching" },
    });
  } catch (error) {
    // Shopify runs a limited number of bulk operations per shop: wait for a place.
    if (error instanceof BulkQueryRefused && error.busy) {
      return { kind: "later", at: new Date(now.getTime() + BUSY_RETRY_MS) };
    }
    if (error instanceof BulkQueryRefused) return fail(run.id, error.message);
    throw error;
  }
  return { kind: "later", at: new Date(now.getTime() + POLL_MS) };
}

async function awaitOperations(
  run: HistoryImport,
  admin: AdminGraphql,
  now: Date,
): Promise<NextStep> {
  const [customers, orders] = await Promise.all([
    readBulkOperation(admin, run.customersOperationId!),
    readBulkOperation(admin, run.ordersOperationId!),
  ]);
  const settled = (op: BulkOperationState | null) =>
    op === null || !["CREATED", "RUNNING", "CANCELING"].includes(op.status);
  if (!settled(customers) || !settled(orders)) {
    return { kind: "later", at: new Date(now.getTime() + POLL_MS) };
  }
  await prisma.historyImport.update({
    where: { id: run.id },
    data: {
      state: "applying",
      applyingAt: run.applyingAt ?? now,
      customerLinesTotal: customers?.objectCount ?? 0,
      orderLinesTotal: orders?.objectCount ?? 0,
    },
  });
  return { kind: "again" };
}

async function applyResults(run: HistoryImport, options: RunOptions, now: Date): Promise<NextStep> {
  const clock = options.clock ?? Date.now;
  const deadline = clock() + (options.budgetMs ?? 60_000);
  for (const file of ["customers", "orders"] as const) {
    if (fileDone(run, file)) continue;
    const operationId = file === "customers" ? run.customersOperationId : run.ordersOperationId;
    const operation = operationId ? await readBulkOperation(options.admin, operationId) : null;
    const source = await resultOf(run.id, file, operation);
    if (!source) continue;
    const outcome = await applyResultLines(run.id, file, source, {
      lines: bulkResultLines(source.url, source.from, options.fetchFile),
      now,
      deadline,
      clock,
      oneByOne: options.oneByOne,
    });
    if (outcome === "stopped") return { kind: "finished" };
    if (outcome === "budget") return { kind: "again" };
  }
  const current = await prisma.historyImport.findUniqueOrThrow({ where: { id: run.id } });
  const valued = await valueImportedOrders(current, {
    now,
    deadline,
    clock,
    oneByOne: options.oneByOne,
  });
  if (valued === "stopped") return { kind: "finished" };
  if (valued === "budget") return { kind: "again" };
  await prisma.historyImport.updateMany({
    where: { id: run.id, state: "applying" },
    data: { state: "done", finishedAt: new Date(), tierCounts: await tierCountsOf(run.shopId) },
  });
  logger.info("history import done", { importId: run.id, shopId: run.shopId });
  return { kind: "finished" };
}

/**
 * A file whose every line is applied is not downloaded again by the runs after it (a result of
 * 500,000 orders is hundreds of MB); once valuing began, both files were.
 */
function fileDone(run: HistoryImport, file: ResultFile) {
  if (run.valuedThrough !== null) return true;
  const [done, total] =
    file === "customers"
      ? [run.customerLinesDone, run.customerLinesTotal]
      : [run.orderLinesDone, run.orderLinesTotal];
  return total !== null && total > 0 && done >= total;
}

/** How many members each tier holds once the past is in: the report's "placed in tiers". */
async function tierCountsOf(shopId: string): Promise<Record<string, number>> {
  const rows = await prisma.member.groupBy({
    by: ["tierId"],
    where: { shopId, status: "active", tierId: { not: null } },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((row) => [row.tierId!, row._count._all]));
}

/**
 * The result to read for `file` and the line to start from, or null when there is none: a
 * failed operation is a line in the report (its partial result, if Shopify kept one, is applied).
 */
async function resultOf(
  importId: string,
  file: ResultFile,
  operation: BulkOperationState | null,
): Promise<{ url: string; from: number } | null> {
  const run = await prisma.historyImport.findUniqueOrThrow({ where: { id: importId } });
  const from = (file === "customers" ? run.customerLinesDone : run.orderLinesDone) + 1;
  if (operation?.status === "COMPLETED" && operation.url) return { url: operation.url, from };
  if (operation?.status === "COMPLETED") return null; // nothing matched: Shopify writes no file
  const status = operation
    ? `${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ""}`
    : null;
  const reason = status
    ? `Shopify's bulk operation ended ${status}`
    : "Shopify no longer has the bulk operation";
  await notePartial(
    importId,
    file,
    operation?.partialDataUrl ? "partial_result" : "bulk_failed",
    reason,
    status ? { status } : { variant: "gone" },
  );
  return operation?.partialDataUrl ? { url: operation.partialDataUrl, from } : null;
}

async function notePartial(
  importId: string,
  file: ResultFile,
  kind: string,
  detail: string,
  values: HistoryProblemValues,
) {
  const run = await prisma.historyImport.findUniqueOrThrow({ where: { id: importId } });
  const { count } = await prisma.historyImportProblem.createMany({
    data: { importId, shopId: run.shopId, file, line: 0, kind, detail, copyValues: values },
    skipDuplicates: true,
  });
  if (count > 0) {
    await prisma.historyImport.update({
      where: { id: importId },
      data: { problems: { increment: 1 } },
    });
  }
}

async function fail(importId: string, reason: string): Promise<NextStep> {
  await prisma.historyImport.update({
    where: { id: importId },
    data: { state: "failed", lastError: reason, finishedAt: new Date() },
  });
  return { kind: "finished" };
}
