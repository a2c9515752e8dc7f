import prisma from "~/db.server";
import { formatIsoDate, localDate } from "~/domain/calendar";

/** Entries shown on the customer account's Rewards page: enough for "what happened lately". */
const HISTORY_SIZE = 25;

/**
 * The member's latest points movements for the customer account page, newest first: when, how
 * many, why (the catalog's `source`, which the extension words in the shopper's language) and the
 * order they came with. Empty for a customer who is not a member.
 */
export async function pointsHistory(shopId: string, customerId: bigint, limit = HISTORY_SIZE) {
  const member = await prisma.member.findUnique({
    where: { shopId_customerId: { shopId, customerId } },
    select: { id: true },
  });
  if (!member) return [];
  const entries = await prisma.ledgerEntry.findMany({
    where: { shopId, memberId: member.id, points: { not: 0 } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { createdAt: true, points: true, source: true, orderId: true },
  });
  const orderIds = [...new Set(entries.flatMap((e) => (e.orderId ? [e.orderId] : [])))];
  const orders = await prisma.orderRecord.findMany({
    where: { shopId, orderId: { in: orderIds } },
    select: { orderId: true, name: true },
  });
  const names = new Map(orders.map((o) => [o.orderId, o.name]));
  return entries.map((entry) => ({
    at: entry.createdAt.toISOString(),
    points: entry.points,
    source: entry.source,
    orderName: entry.orderId ? (names.get(entry.orderId) ?? null) : null,
  }));
}

export type OrderPoints =
  { state: "not_member" | "none" } | { state: "earned"; points: number; heldUntil: string | null };

/**
 * What one order earned the signed-in customer, for the order status page: its net points (what
 * refunds and edits left), and the shop-local day they become spendable while still held.
 * "none" when the order earned nothing (yet: orders/paid may still be on its way).
 */
export async function orderPoints(
  shopId: string,
  customerId: bigint,
  orderId: bigint,
  now: Date,
): Promise<OrderPoints> {
  const member = await prisma.member.findUnique({
    where: { shopId_customerId: { shopId, customerId } },
    select: { id: true, shop: { select: { timeZone: true } } },
  });
  if (!member) return { state: "not_member" };
  const [sum, order] = await Promise.all([
    prisma.ledgerEntry.aggregate({
      where: { shopId, memberId: member.id, orderId },
      _sum: { points: true },
      _count: { _all: true },
    }),
    prisma.orderRecord.findUnique({
      where: { shopId_orderId: { shopId, orderId } },
      select: { pointsReleaseOn: true },
    }),
  ]);
  if (sum._count._all === 0) return { state: "none" };
  const points = Math.max(0, sum._sum.points ?? 0);
  const today = formatIsoDate(localDate(now, member.shop.timeZone));
  const release = order?.pointsReleaseOn ?? null;
  return { state: "earned", points, heldUntil: release && release > today ? release : null };
}
