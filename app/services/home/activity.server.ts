import prisma from "~/db.server";
import { orderKeys } from "../orders/order-to-value";

export interface ActivityStory {
  id: string;
  /** Shopify's topic, e.g. ORDERS_PAID. */
  topic: string;
  receivedAt: Date;
  /** The order's name ("#1024"), when the delivery is about an order. */
  orderName: string | null;
  /** The customer's name, or email, when the app knows them. */
  customer: string | null;
  /** What the delivery did to the customer's points, when it moved any. */
  points: number | null;
  state: "applied" | "ignored" | "rejected" | "retrying" | "received";
}

/** The admin home's overview of one shop: members, points, and what Shopify sent, newest first. */
export async function webhookActivity(shopDomain: string, limit = 10) {
  const shop = await prisma.shop.findUnique({
    where: { domain: shopDomain },
    select: { id: true },
  });
  if (!shop) return { received: 0, failing: 0, members: 0, outstanding: 0, recent: [] };
  const [received, failing, members, deliveries] = await Promise.all([
    prisma.webhookDelivery.count({ where: { shopId: shop.id } }),
    prisma.webhookDelivery.count({ where: { shopId: shop.id, lastError: { not: null } } }),
    prisma.member.aggregate({
      where: { shopId: shop.id, status: "active" },
      _count: { _all: true },
      _sum: { pointsBalance: true },
    }),
    prisma.webhookDelivery.findMany({
      where: { shopId: shop.id },
      orderBy: { receivedAt: "desc" },
      take: limit,
      select: {
        id: true,
        topic: true,
        customerId: true,
        payload: true,
        receivedAt: true,
        processedAt: true,
        lastError: true,
        outcome: true,
      },
    }),
  ]);
  return {
    received,
    failing,
    members: members._count._all,
    outstanding: members._sum.pointsBalance ?? 0,
    recent: await stories(shop.id, deliveries),
  };
}

type Delivery = {
  id: string;
  topic: string;
  customerId: bigint | null;
  payload: unknown;
  receivedAt: Date;
  processedAt: Date | null;
  lastError: string | null;
  outcome: string | null;
};

/** What each delivery was about, in the merchant's terms: the order, the customer, the points. */
async function stories(shopId: string, deliveries: Delivery[]): Promise<ActivityStory[]> {
  const facts = deliveries.map((delivery) => ({ delivery, ...factsOf(delivery) }));
  const orderIds = [...new Set(facts.flatMap((f) => (f.orderId === null ? [] : [f.orderId])))];
  const customerIds = [
    ...new Set(facts.flatMap((f) => (f.customerId === null ? [] : [f.customerId]))),
  ];
  const ledgerKeys = facts.flatMap((f) => (f.ledgerKey === null ? [] : [f.ledgerKey]));
  const [orders, members, entries] = await Promise.all([
    prisma.orderRecord.findMany({
      where: { shopId, orderId: { in: orderIds } },
      select: { orderId: true, name: true, customerId: true },
    }),
    prisma.member.findMany({
      where: { shopId, customerId: { in: customerIds } },
      select: { customerId: true, firstName: true, lastName: true, email: true },
    }),
    prisma.ledgerEntry.findMany({
      where: { shopId, idempotencyKey: { in: ledgerKeys } },
      select: { idempotencyKey: true, points: true },
    }),
  ]);
  const orderById = new Map(orders.map((order) => [order.orderId, order]));
  const nameByCustomer = new Map(members.map((m) => [m.customerId, nameOf(m)]));
  const pointsByKey = new Map(entries.map((entry) => [entry.idempotencyKey, entry.points]));
  return facts.map(({ delivery, orderId, orderName, customerId, ledgerKey }) => {
    const order = orderId === null ? undefined : orderById.get(orderId);
    const customer = customerId ?? order?.customerId ?? null;
    return {
      id: delivery.id,
      topic: delivery.topic,
      receivedAt: delivery.receivedAt,
      orderName: orderName ?? order?.name ?? null,
      customer: customer === null ? null : (nameByCustomer.get(customer) ?? null),
      points: ledgerKey === null ? null : (pointsByKey.get(ledgerKey) ?? null),
      state: stateOf(delivery),
    };
  });
}

/** The order, customer and ledger entry a delivery's payload names (Shopify's REST shapes). */
function factsOf(delivery: Delivery) {
  const payload = (delivery.payload ?? {}) as Record<string, unknown>;
  const id = toId(payload.id);
  const none = { orderId: null, orderName: null, customerId: delivery.customerId, ledgerKey: null };
  switch (delivery.topic) {
    case "ORDERS_PAID":
    case "ORDERS_CANCELLED":
    case "ORDERS_EDITED": {
      const orderId =
        delivery.topic === "ORDERS_EDITED"
          ? toId(payload.order_edit && (payload.order_edit as { order_id?: unknown }).order_id)
          : id;
      if (orderId === null) return none;
      const keys = orderKeys(orderId);
      return {
        orderId,
        orderName: typeof payload.name === "string" ? payload.name : null,
        customerId: delivery.customerId ?? toId((payload.customer as { id?: unknown } | null)?.id),
        ledgerKey:
          delivery.topic === "ORDERS_PAID"
            ? keys.earn
            : delivery.topic === "ORDERS_CANCELLED"
              ? keys.cancel
              : null,
      };
    }
    case "REFUNDS_CREATE": {
      const orderId = toId(payload.order_id);
      if (orderId === null || id === null) return none;
      return {
        orderId,
        orderName: null,
        customerId: delivery.customerId,
        ledgerKey: orderKeys(orderId).refund(String(id)),
      };
    }
    default:
      return {
        ...none,
        customerId: delivery.customerId ?? (delivery.topic.startsWith("CUSTOMERS_") ? id : null),
      };
  }
}

function stateOf(delivery: Delivery): ActivityStory["state"] {
  if (delivery.outcome === "rejected") return "rejected";
  if (delivery.outcome === "ignored") return "ignored";
  if (delivery.processedAt) return "applied";
  if (delivery.lastError) return "retrying";
  return "received";
}

function toId(value: unknown): bigint | null {
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  return null;
}

function nameOf(member: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}) {
  const name = [member.firstName, member.lastName].filter(Boolean).join(" ");
  return name || member.email;
}
