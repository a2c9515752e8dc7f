import type { Prisma } from "@prisma/client";
import { goodsSpendMinor } from "~/domain/earning/index";
import { minorToDecimalString } from "~/domain/rewards/money";
import type { HistoryOrder } from "~/integrations/shopify/history-lines";

export interface OrderChunkResult {
  /** Orders of the shop's currency with a customer: stored now, or by an earlier run or webhook. */
  applied: number;
  /** Orders in another currency than the shop's, left out (line numbers come from the caller). */
  otherCurrency: HistoryOrder[];
}

/**
 * One chunk of the store's past orders, stored as the facts the webhooks would have stored, in
 * two statements (orders, then refunds): an order already stored by a webhook keeps its row, so
 * it counts once. Orders in the merchant's points window earn (`earnsPoints`); the others count
 * toward tiers only. Valuing them (points, tiers) waits until every order is in (valued.server.ts):
 * a customer's orders are then valued with one replay of their tier. Guest orders are not kept.
 */
export async function storeHistoryOrders(
  tx: Prisma.TransactionClient,
  shop: { id: string; currency: string },
  orders: readonly HistoryOrder[],
  options: { pointsSince: Date | null; now: Date },
): Promise<OrderChunkResult> {
  const otherCurrency = orders.filter((o) => o.customerId !== null && o.currency !== shop.currency);
  const kept = orders.filter((o) => o.customerId !== null && o.currency === shop.currency);
  if (kept.length === 0) return { applied: 0, otherCurrency };
  const stored = kept.map((order) =>
    JSON.stringify({
      earning: order.earning,
      name: order.name,
      customer: { email: null, phone: null, firstName: null, lastName: null },
    }),
  );
  const earns = kept.map(
    (o) => options.pointsSince !== null && o.paidAt.getTime() >= options.pointsSince.getTime(),
  );
  const iso = (dates: (Date | null)[]) => dates.map((d) => d?.toISOString() ?? null);
  await tx.$executeRaw`
    INSERT INTO "OrderRecord" ("shopId", "orderId", "customerId", name, currency, "order",
      "orderVersion", "spendMinor", "paidAt", "cancelledAt", "earnsPoints", "updatedAt")
    SELECT ${shop.id}::uuid, o.id, o.customer, o.name, ${shop.currency}, o.stored::jsonb,
      o.version::timestamp(3), o.spend, o.paid::timestamp(3), o.cancelled::timestamp(3), o.earns,
      ${options.now.toISOString()}::timestamp(3)
    FROM unnest(${kept.map((o) => o.orderId.toString())}::bigint[],
      ${kept.map((o) => o.customerId!.toString())}::bigint[], ${kept.map((o) => o.name)}::text[],
      ${stored}::text[], ${iso(kept.map((o) => o.version))}::text[],
      ${kept.map((o) => goodsSpendMinor(o.earning))}::integer[],
      ${iso(kept.map((o) => o.paidAt))}::text[], ${iso(kept.map((o) => o.cancelledAt))}::text[],
      ${earns}::boolean[])
      AS o(id, customer, name, stored, version, spend, paid, cancelled, earns)
    ON CONFLICT ("shopId", "orderId") DO NOTHING`;
  // Each refund as one naming no line, of the goods it gave back (history-lines.ts).
  const refunds = kept.flatMap((order) => order.refunds.map((refund) => ({ order, refund })));
  if (refunds.length > 0) {
    await tx.$executeRaw`
      INSERT INTO "RefundRecord" ("shopId", "orderId", "refundId", lines, amount, "amountMinor",
        "goodsMinor", "createdAt")
      SELECT ${shop.id}::uuid, r."orderId", r."refundId", '[]'::jsonb, r.amount, r.goods, r.goods,
        r.at::timestamp(3)
      FROM unnest(${refunds.map((r) => r.order.orderId.toString())}::bigint[],
        ${refunds.map((r) => r.refund.refundId.toString())}::bigint[],
        ${refunds.map((r) => JSON.stringify([minorToDecimalString(r.refund.goodsMinor, shop.currency)]))}::text[],
        ${refunds.map((r) => r.refund.goodsMinor)}::integer[],
        ${refunds.map((r) => r.refund.createdAt.toISOString())}::text[])
        AS r("orderId", "refundId", amount, goods, at)
      ON CONFLICT ("shopId", "refundId") DO NOTHING`;
  }
  return { applied: kept.length, otherCurrency };
}
