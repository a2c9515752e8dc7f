import type { HistoryImport } from "@prisma/client";
import prisma from "~/db.server";
import { recordingHistory } from "../events/history.server";
import { reconcileCustomerOrders } from "../orders/reconcile.server";
import { programInForce } from "../program/versions.server";
import { HistoryChoicesSchema } from "./start.server";
import { valueCustomersTogether } from "./valued-page.server";

/**
 * Customers valued per transaction: their effects and the run's progress commit together. A page
 * costs about fifteen statements whatever its size (ADR 0074).
 */
const PAGE = 100;

/**
 * Once both files are in: every customer with stored orders, in customer id order from where the
 * last page ended, has their orders valued with one replay of their tier (points for the orders
 * of the points window, dated as they were; tier and entry bonuses), as history. Each page commits
 * with the cursor, so a killed run redoes at most one page, whose effects are keyed.
 */
export async function valueImportedOrders(
  run: HistoryImport,
  options: {
    now: Date;
    deadline: number;
    clock: () => number;
    /**
     * Every customer through reconcileCustomerOrders, the reference the set-based path is held
     * equal to (tests/integration/history-import/set-based.test.ts).
     */
    oneByOne?: boolean;
  },
): Promise<"done" | "budget" | "stopped"> {
  const valueCustomers = options.oneByOne
    ? async (...[, , customerIds]: Parameters<typeof valueCustomersTogether>) => ({
        left: [...customerIds],
        orderPoints: 0,
      })
    : valueCustomersTogether;
  const choices = HistoryChoicesSchema.parse(run.choices);
  const program = await programInForce(prisma, run.shopId);
  let after = run.valuedThrough ?? -1n;
  for (;;) {
    const page = await prisma.$queryRaw<{ customerId: bigint }[]>`
      SELECT DISTINCT "customerId" FROM "OrderRecord"
      WHERE "shopId" = ${run.shopId}::uuid AND "customerId" > ${after}::bigint
        AND "paidAt" IS NOT NULL
      ORDER BY "customerId" LIMIT ${PAGE}`;
    if (page.length === 0) return "done";
    const customerIds = page.map((row) => row.customerId);
    const through = customerIds[customerIds.length - 1]!;
    const outcome = await prisma.$transaction(
      (tx) =>
        recordingHistory({ fireFlows: choices.fireFlows }, async () => {
          // Locked, and the cursor checked: a second run of the import leaves the page to the first.
          const [state] = await tx.$queryRaw<{ state: string; through: bigint | null }[]>`
            SELECT state, "valuedThrough" AS through FROM "HistoryImport"
            WHERE id = ${run.id}::uuid FOR UPDATE`;
          if (state?.state !== "applying" || (state.through ?? -1n) !== after) {
            return "stopped" as const;
          }
          // Customers with nothing valued yet (all of them at install) at once, set-based; the
          // others (a webhook came first, a rerun, a merge) one by one (ADR 0074).
          const together = await valueCustomers(tx, run.shopId, customerIds, program, options.now);
          let gained = together.orderPoints;
          if (together.left.length > 0) {
            const before = await orderPoints(tx, run.shopId, together.left);
            for (const customerId of together.left) {
              await reconcileCustomerOrders(tx, run.shopId, customerId, program, options.now);
            }
            gained += (await orderPoints(tx, run.shopId, together.left)) - before;
          }
          await tx.historyImport.update({
            where: { id: run.id },
            data: {
              valuedThrough: through,
              customersValued: { increment: customerIds.length },
              pointsAwarded: { increment: gained },
            },
          });
          return "ok" as const;
        }),
      { timeout: 120_000 },
    );
    if (outcome === "stopped") return "stopped";
    after = through;
    if (options.clock() >= options.deadline) return "budget";
  }
}

/** The points the customers' orders hold now (earned less what refunds took back). */
async function orderPoints(
  tx: Parameters<Parameters<typeof prisma.$transaction>[0]>[0],
  shopId: string,
  customerIds: bigint[],
) {
  const [row] = await tx.$queryRaw<{ points: number | null }[]>`
    SELECT SUM(l.points)::int AS points FROM "LedgerEntry" l
    JOIN "OrderRecord" o ON o."shopId" = l."shopId" AND o."orderId" = l."orderId"
    WHERE l."shopId" = ${shopId}::uuid
      AND o."customerId" = ANY(${customerIds.map(String)}::bigint[])`;
  return row?.points ?? 0;
}
