import { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import {
  BulkObjects,
  customerOf,
  MalformedLine,
  orderOf,
  parseLine,
  type HistoryCustomer,
  type HistoryOrder,
} from "~/integrations/shopify/history-lines";
import { recordingHistory } from "../events/history.server";
import { applyHistoryCustomers, applyHistoryCustomersOneByOne } from "./customers.server";
import { storeHistoryOrders } from "./orders.server";
import type { HistoryProblemValues } from "~/lib/history-problems";
import { HistoryChoicesSchema } from "./start.server";

export type ResultFile = "customers" | "orders";

/**
 * Objects per transaction: a chunk's effects and its progress commit together. Each chunk also
 * pays a lock, a progress update and a commit: 100 orders rather than 50 halve that (ADR 0074).
 */
const CHUNK = { customers: 200, orders: 100 } as const;

interface Problem {
  file: ResultFile;
  line: number;
  kind: string;
  /** In English, for the CSV and support. */
  detail: string;
  /** The values of the copy `history.problem.<kind>` the admin shows in the staff's language. */
  values: HistoryProblemValues;
}

interface Chunk<T> {
  objects: T[];
  /** The last line of the chunk's last object: where a resumed run starts after. */
  lastLine: number;
  problems: Problem[];
}

/**
 * Applies a bulk result from where the last chunk ended, chunk by chunk, each in one transaction
 * with the run's progress (lines done, counts, problems), as history (ADR 0054, issue 18): a
 * crash loses at most the chunk in hand, which the next run applies again (keyed, so once).
 * Stops when the file ends ("done"), the time budget is spent ("budget"), or the merchant stopped
 * the import or another run of it got there first ("stopped").
 */
export async function applyResultLines(
  importId: string,
  file: ResultFile,
  source: { from: number },
  options: {
    lines: AsyncGenerator<{ line: number; text: string }>;
    now: Date;
    deadline: number;
    clock: () => number;
    /** Customers member by member, the reference path (RunOptions.oneByOne; tests only). */
    oneByOne?: boolean;
  },
): Promise<"done" | "budget" | "stopped"> {
  const applyCustomers = options.oneByOne ? applyHistoryCustomersOneByOne : applyHistoryCustomers;
  const run = await prisma.historyImport.findUniqueOrThrow({ where: { id: importId } });
  const shop = await prisma.shop.findUniqueOrThrow({
    where: { id: run.shopId },
    select: { id: true, currency: true },
  });
  const choices = HistoryChoicesSchema.parse(run.choices);
  const pointsSince =
    choices.pointsDays === null
      ? null
      : new Date(options.now.getTime() - choices.pointsDays * 86_400_000);

  const objects = new BulkObjects();
  let chunk: Chunk<{ root: Record<string, unknown>; children: Record<string, unknown>[] }> = {
    objects: [],
    lastLine: source.from - 1,
    problems: [],
  };
  let lastObjectLine = source.from - 1;
  let appliedUpTo = source.from - 1;

  const flush = async (): Promise<"ok" | "stopped"> => {
    const current = chunk;
    const startedAfter = appliedUpTo;
    chunk = { objects: [], lastLine: current.lastLine, problems: [] };
    const problems = [...current.problems];
    const outcome = await prisma.$transaction(
      (tx) =>
        recordingHistory({ fireFlows: choices.fireFlows }, async () => {
          // Locked: a second run of the same import (a poll and the finish webhook's run at
          // once) waits here, then finds the lines done moved and leaves the file to the first.
          const [state] = await tx.$queryRaw<{ state: string; done: number }[]>`
            SELECT state, ${Prisma.raw(file === "customers" ? '"customerLinesDone"' : '"orderLinesDone"')} AS done
            FROM "HistoryImport" WHERE id = ${importId}::uuid FOR UPDATE`;
          if (state?.state !== "applying" || state.done !== startedAfter) return "stopped" as const;
          let counts = { customers: 0, orders: 0 };
          if (file === "customers") {
            const customers = convert(current.objects, customerOf, problems, file);
            for (const customer of customers) {
              if (!customer.value.email) {
                problems.push({
                  file,
                  line: customer.line,
                  kind: "no_email",
                  detail: `${customerLabel(customer.value)} has no email: a member, but no email platform can reach them`,
                  values: {
                    id: String(customer.value.customerId),
                    name: [customer.value.firstName, customer.value.lastName]
                      .filter(Boolean)
                      .join(" "),
                  },
                });
              }
            }
            const values = customers.map((c) => c.value);
            await applyCustomers(tx, shop, values, choices.storeCredit);
            counts = { ...counts, customers: values.length };
          } else {
            const orders = convert(current.objects, orderOf, problems, file);
            const result = await storeHistoryOrders(
              tx,
              shop,
              orders.map((o) => o.value),
              { pointsSince, now: options.now },
            );
            for (const order of result.otherCurrency) {
              const line = orders.find((o) => o.value === order)?.line ?? 0;
              problems.push({
                file,
                line,
                kind: "other_currency",
                detail: `Order ${order.name ?? order.orderId} is in ${order.currency}, the shop in ${shop.currency}: left out`,
                values: {
                  order: order.name ?? String(order.orderId),
                  currency: order.currency,
                  shopCurrency: shop.currency,
                },
              });
            }
            counts = { ...counts, orders: result.applied };
          }
          const added = problems.length
            ? (
                await tx.historyImportProblem.createMany({
                  data: problems.map(({ values, ...p }) => ({
                    importId,
                    shopId: shop.id,
                    ...p,
                    copyValues: values,
                  })),
                  skipDuplicates: true,
                })
              ).count
            : 0;
          await tx.historyImport.update({
            where: { id: importId },
            data: {
              [file === "customers" ? "customerLinesDone" : "orderLinesDone"]: current.lastLine,
              customers: { increment: counts.customers },
              orders: { increment: counts.orders },
              problems: { increment: added },
            },
          });
          return "ok" as const;
        }),
      { timeout: 120_000 },
    );
    if (outcome === "ok") appliedUpTo = current.lastLine;
    return outcome;
  };

  const onObjects = async (
    done: { root: Record<string, unknown>; children: Record<string, unknown>[] }[],
  ) => {
    for (const object of done) {
      chunk.objects.push(object);
      chunk.lastLine = lastObjectLine;
    }
  };

  for await (const { line, text } of options.lines) {
    let value: Record<string, unknown>;
    try {
      value = parseLine(text);
    } catch (error) {
      chunk.problems.push(malformed(file, line, describe(error)));
      continue;
    }
    // Where each object starts, for the report's line numbers.
    if (typeof value.__parentId !== "string") value.__line = line;
    let completed;
    try {
      completed = objects.push(value);
    } catch (error) {
      chunk.problems.push(malformed(file, line, describe(error)));
      continue;
    }
    // The objects completed by this line ended on the line before it.
    await onObjects(completed);
    lastObjectLine = line;
    if (chunk.objects.length >= CHUNK[file]) {
      if ((await flush()) === "stopped") return "stopped";
      if (options.clock() >= options.deadline) return "budget";
    }
  }
  await onObjects(objects.finish());
  chunk.lastLine = lastObjectLine;
  if (chunk.objects.length > 0 || chunk.problems.length > 0) {
    if ((await flush()) === "stopped") return "stopped";
  }
  return "done";
}

/** Each object converted, or a line in the report when it is not what the query asked for. */
function convert<T>(
  objects: { root: Record<string, unknown>; children: Record<string, unknown>[] }[],
  of: (object: { root: Record<string, unknown>; children: Record<string, unknown>[] }) => T,
  problems: Problem[],
  file: ResultFile,
): { value: T; line: number }[] {
  const values: { value: T; line: number }[] = [];
  for (const object of objects) {
    const line = (object.root as { __line?: number }).__line ?? 0;
    try {
      values.push({ value: of(object), line });
    } catch (error) {
      // Named as the merchant finds it in Shopify admin: the order's name, else the object's id.
      const root = object.root as { name?: unknown; id?: unknown };
      const label = typeof root.name === "string" ? root.name : String(root.id ?? "an object");
      problems.push(malformed(file, line, describe(error), label));
    }
  }
  return values;
}

/** A line the app could not read, or an object not as the query asked (`label` names it). */
function malformed(file: ResultFile, line: number, reason: string, label?: string): Problem {
  return {
    file,
    line,
    kind: "malformed_line",
    detail: label ? `${label}: ${reason}` : reason,
    values: label ? { variant: "object", label, reason } : { reason },
  };
}

/** "Linus Torvalds (customer 1001)", or "Customer 1001" for a customer without a name. */
function customerLabel(customer: HistoryCustomer) {
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return name ? `${name} (customer ${customer.customerId})` : `Customer ${customer.customerId}`;
}

function describe(error: unknown) {
  return error instanceof MalformedLine ? error.message : `unreadable: ${String(error)}`;
}

export type { HistoryCustomer, HistoryOrder };
