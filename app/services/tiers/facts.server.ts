import type { Member, Prisma } from "@prisma/client";
import {
  goodsSpendMinor,
  refundedGoodsMinor,
  type OrderForEarning,
  type RefundForClawback,
} from "~/domain/earning/index";
import { keptGoodsMinor, type OrderSpend, type SpendRecord } from "~/domain/tiers";
import { refundForClawback, type RefundFacts } from "../orders/payloads";
import type { StoredCheckpoint } from "./checkpoint";

/** One paid order of the member, as the tier replay and the order's points need it. */
export interface MemberOrder {
  spend: OrderSpend;
  name: string | null;
  /** Shopify's updated_at of the stored version (null for an order only seen refunded). */
  orderVersion: Date | null;
  earning: OrderForEarning;
  currency: string;
  refunds: (RefundForClawback & { at: Date })[];
}

/** Orders paid this long before an instant still count in its spend window (a day of slack). */
export const WINDOW_REACH_MS = 366 * 86_400_000;

/** The first paid instant the replay from `checkpoint` can count (all orders without one). */
export function replayReach(checkpoint: StoredCheckpoint | null): Date {
  return checkpoint ? new Date(checkpoint.at.getTime() - WINDOW_REACH_MS) : new Date(0);
}

/**
 * The member's orders paid after `since` (their own and those of customers merged into them),
 * each with its refunds as goods given back at the refund's instant (ADR 0054).
 */
export async function memberOrders(
  tx: Prisma.TransactionClient,
  member: Member,
  since: Date,
): Promise<MemberOrder[]> {
  const rows = await tx.$queryRaw<
    {
      orderId: string;
      name: string | null;
      orderVersion: Date | null;
      paidSpendMinor: number | null;
      paidAt: Date;
      cancelledAt: Date | null;
      currency: string;
      order: { earning: OrderForEarning };
      refunds: { refundId: string; at: string; lines: RefundFacts["lines"]; amount: string }[];
    }[]
  >`
    WITH RECURSIVE customers AS (
      SELECT ${member.id}::uuid AS "memberId", ${member.customerId}::bigint AS "customerId"
      UNION
      SELECT m."mergedMemberId", m."mergedCustomerId" FROM "MemberMerge" m
      JOIN customers c ON m."keptMemberId" = c."memberId"
      WHERE m."shopId" = ${member.shopId}::uuid
    )
    SELECT o."orderId"::text AS "orderId", o.name, o."orderVersion", o."paidSpendMinor",
      o."paidAt", o."cancelledAt",
      o.currency, o."order",
      COALESCE((SELECT jsonb_agg(jsonb_build_object('refundId', r."refundId"::text,
          'at', to_char(r."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'lines', r.lines, 'amount', r.amount))
        FROM "RefundRecord" r
        WHERE r."shopId" = o."shopId" AND r."orderId" = o."orderId"), '[]'::jsonb) AS refunds
    FROM "OrderRecord" o
    WHERE o."shopId" = ${member.shopId}::uuid
      AND o."customerId" IN (SELECT "customerId" FROM customers)
      AND o."paidAt" IS NOT NULL AND o."paidAt" > ${since}::timestamp AND o."order" IS NOT NULL
      AND o.currency IS NOT NULL`;
  return rows.map((row) =>
    memberOrderOf({ ...row, earning: row.order.earning, refunds: row.refunds }),
  );
}

interface OrderFacts {
  orderId: string;
  name?: string | null;
  orderVersion?: Date | null;
  /** The goods as orders/paid described them (null: unknown, e.g. an imported order). */
  paidSpendMinor?: number | null;
  paidAt: Date;
  cancelledAt: Date | null;
  currency: string;
  earning: OrderForEarning;
  refunds: { refundId: string; at: string | Date; lines: RefundFacts["lines"]; amount: string }[];
}

/** One stored order as the replay takes it: goods, and goods given back at each refund. */
export function memberOrderOf(row: OrderFacts): MemberOrder {
  const { earning } = row;
  const refunds = row.refunds.map((r) => ({
    ...refundForClawback(
      r.refundId,
      { lines: r.lines, amounts: JSON.parse(r.amount) as string[] },
      row.currency,
    ),
    at: new Date(r.at),
  }));
  return {
    earning,
    name: row.name ?? null,
    orderVersion: row.orderVersion ?? null,
    currency: row.currency,
    refunds,
    spend: {
      orderId: row.orderId,
      paidAt: row.paidAt,
      ...paidAndEdited(row, goodsSpendMinor(earning)),
      refunds: refunds.map((refund) => ({
        at: refund.at,
        goodsMinor: refundedGoodsMinor(earning, refund),
      })),
      cancelledAt: row.cancelledAt,
    },
  };
}

/**
 * The goods the order counted for at payment and, when a later version (an edit) changed them,
 * from that version's time on (ADR 0054): the same dates whichever webhook came first.
 */
function paidAndEdited(row: OrderFacts, storedGoods: number) {
  const paid = row.paidSpendMinor;
  const version = row.orderVersion;
  if (paid == null || paid === storedGoods || !version || version <= row.paidAt) {
    return { goodsMinor: storedGoods, edited: null };
  }
  return { goodsMinor: paid, edited: { at: version, goodsMinor: storedGoods } };
}

type OrderWithRefunds = Prisma.OrderRecordGetPayload<{ include: { refunds: true } }>;

/** A stored order's tier spend now (null when it is not a paid order with known lines). */
export function spendRecordNow(order: OrderWithRefunds, now: Date): SpendRecord | null {
  const earning = (order.order as { earning?: OrderForEarning } | null)?.earning;
  if (!earning || !order.paidAt || !order.currency) return null;
  const { spend } = memberOrderOf({
    orderId: order.orderId.toString(),
    orderVersion: order.orderVersion,
    paidSpendMinor: order.paidSpendMinor,
    paidAt: order.paidAt,
    cancelledAt: order.cancelledAt,
    currency: order.currency,
    earning,
    refunds: order.refunds.map((r) => ({
      refundId: r.refundId.toString(),
      at: r.createdAt,
      lines: r.lines as RefundFacts["lines"],
      amount: r.amount,
    })),
  });
  return { at: spend.paidAt, minor: keptGoodsMinor(spend, now) };
}

/**
 * Tier spend as the member's progress shows it: each order paid in the last 365 days at the goods
 * it still counts for now (refunds and a cancellation taken off), for nextTierProgress.
 */
export async function spendRecordsNow(
  tx: Prisma.TransactionClient,
  member: Member,
  now: Date,
): Promise<SpendRecord[]> {
  const orders = await memberOrders(tx, member, new Date(now.getTime() - WINDOW_REACH_MS));
  return orders.map((order) => ({
    at: order.spend.paidAt,
    minor: keptGoodsMinor(order.spend, now),
  }));
}
