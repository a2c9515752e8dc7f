import type { Prisma } from "@prisma/client";
import { goodsSpendMinor } from "~/domain/earning/index";
import { minorToDecimalString } from "~/domain/rewards/money";
import type { HistoryOrder } from "~/integrations/shopify/history-lines";
import { reconcileOrder } from "../orders/reconcile.server";
import type { ProgramInForce } from "../program/versions.server";

export interface OrderChunkResult {
  applied: number;
  /** Points the chunk's orders gained (earned less what refunds took), 0 when rerun. */
  pointsPosted: number;
  /** Orders in another currency than the shop's, left out (line numbers come from the caller). */
  otherCurrency: HistoryOrder[];
}

/**
 * One chunk of the store's past orders, stored as the facts the webhooks would have stored
 * (an order already stored by a webhook keeps its row: it counts once), then reconciled like
 * a live order: tier spend always, points only for the orders in the merchant's points window
 * (`earnsPoints`). Guest orders earn nothing and are not kept.
 */
export async function applyHistoryOrders(
  tx: Prisma.TransactionClient,
  shop: { id: string; currency: string },
  orders: readonly HistoryOrder[],
  options: { pointsSince: Date | null; program: ProgramInForce; now: Date },
): Promise<OrderChunkResult> {
  const otherCurrency: HistoryOrder[] = [];
  let applied = 0;
  const ids = orders.map((order) => order.orderId);
  const pointsBefore = await orderPoints(tx, shop.id, ids);
  for (const order of orders) {
    if (order.customerId === null) continue;
    if (order.currency !== shop.currency) {
      otherCurrency.push(order);
      continue;
    }
    const earnsPoints =
      options.pointsSince !== null && order.paidAt.getTime() >= options.pointsSince.getTime();
    const stored = {
      earning: order.earning,
      name: order.name,
      customer: { email: null, phone: null, firstName: null, lastName: null },
    };
    await tx.$executeRaw`
      INSERT INTO "OrderRecord" ("shopId", "orderId", "customerId", name, currency, "order",
        "orderVersion", "spendMinor", "paidAt", "cancelledAt", "earnsPoints", "updatedAt")
      VALUES (${shop.id}::uuid, ${order.orderId}::bigint, ${order.customerId}::bigint,
        ${order.name}, ${order.currency}, ${JSON.stringify(stored)}::jsonb,
        ${order.version.toISOString()}::timestamp(3), ${goodsSpendMinor(order.earning)}::integer,
        ${order.paidAt.toISOString()}::timestamp(3),
        ${order.cancelledAt?.toISOString() ?? null}::timestamp(3), ${earnsPoints}::boolean,
        ${options.now.toISOString()}::timestamp(3))
      ON CONFLICT ("shopId", "orderId") DO NOTHING`;
    for (const refund of order.refunds) {
      // Stored as a refund naming no line, of the goods it gave back (history-lines.ts).
      const amount = minorToDecimalString(refund.goodsMinor, order.currency);
      await tx.$executeRaw`
        INSERT INTO "RefundRecord" ("shopId", "orderId", "refundId", lines, amount, "amountMinor",
          "goodsMinor", "createdAt")
        VALUES (${shop.id}::uuid, ${order.orderId}::bigint, ${refund.refundId}::bigint,
          '[]'::jsonb, ${JSON.stringify([amount])}, ${refund.goodsMinor}::integer,
          ${refund.goodsMinor}::integer, ${refund.createdAt.toISOString()}::timestamp(3))
        ON CONFLICT ("shopId", "refundId") DO NOTHING`;
    }
    await reconcileOrder(tx, shop.id, order.orderId, options.now, options.program);
    applied += 1;
  }
  const pointsPosted = (await orderPoints(tx, shop.id, ids)) - pointsBefore;
  return { applied, pointsPosted, otherCurrency };
}

async function orderPoints(tx: Prisma.TransactionClient, shopId: string, orderIds: bigint[]) {
  const [row] = await tx.$queryRaw<{ points: number | null }[]>`
    SELECT SUM(points)::int AS points FROM "LedgerEntry"
    WHERE "shopId" = ${shopId}::uuid AND "orderId" = ANY(${orderIds.map(String)}::bigint[])`;
  return row?.points ?? 0;
}
