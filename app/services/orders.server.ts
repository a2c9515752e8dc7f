import type { Prisma } from "@prisma/client";
import { goodsSpendMinor } from "~/domain/earning";
import { toMinorUnits } from "~/domain/money";
import type { FetchedOrder } from "~/integrations/shopify/order.server";
import {
  OrderEditedPayload,
  OrderPayload,
  RefundPayload,
  orderForEarning,
  refundFacts,
} from "~/webhooks/order-payloads";
import { reconcileOrder, type StoredOrder } from "./order-reconcile.server";
import { reconcileCashback } from "./store-credit/plan.server";
import type { HandlerOutcome } from "./stored-delivery";

export { reconcileOrder } from "./order-reconcile.server";

/** Points first, then cashback (ADR 0030): both follow the same stored facts of the order. */
async function reconcileAll(
  tx: Prisma.TransactionClient,
  shopId: string,
  orderId: bigint,
): Promise<HandlerOutcome> {
  const points = await reconcileOrder(tx, shopId, orderId);
  const cashback = await reconcileCashback(tx, shopId, orderId);
  return cashback > 0 ? "applied" : points;
}

/**
 * Orders are applied as facts, then reconciled: whatever order webhooks arrive in (a refund before
 * the paid order, a redelivery, a cancellation between two refunds, an edit before its paid
 * webhook), the ledger for the order ends up with the same net points, each effect under its own
 * idempotency key. See docs/decisions/0008 and 0017.
 */
export async function applyOrderPaid(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const order = OrderPayload.parse(payload);
  if (!order.customer) return "ignored";
  const orderId = BigInt(order.id);
  const paidAt = new Date(order.processed_at ?? order.created_at);
  await storeOrderVersion(tx, shopId, orderId, {
    customerId: BigInt(order.customer.id),
    name: order.name ?? null,
    currency: order.currency,
    version: new Date(order.updated_at ?? paidAt),
    order: {
      earning: orderForEarning(order),
      name: order.name ?? null,
      customer: {
        email: order.customer.email ?? null,
        phone: order.customer.phone ?? null,
        firstName: order.customer.first_name ?? null,
        lastName: order.customer.last_name ?? null,
      },
    },
  });
  // Only orders/paid says the order is paid; an edit read back earlier waits for it.
  await tx.orderRecord.update({
    where: { shopId_orderId: { shopId, orderId } },
    data: { paidAt, customerId: BigInt(order.customer.id) },
  });
  return reconcileAll(tx, shopId, orderId);
}

/**
 * orders/edited: the order as Shopify holds it now (read back through the Admin API before the
 * transaction, since the webhook has no prices) replaces the stored one if it is newer, then the
 * order is reconciled. `fetched` is null when Shopify no longer has the order.
 */
export async function applyOrderEdited(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
  fetched: FetchedOrder | null,
): Promise<HandlerOutcome> {
  const edit = OrderEditedPayload.parse(payload).order_edit;
  if (!fetched?.customer || fetched.orderId !== edit.order_id) return "ignored";
  const orderId = BigInt(edit.order_id);
  await storeOrderVersion(tx, shopId, orderId, {
    customerId: BigInt(fetched.customer.id),
    name: fetched.name,
    currency: fetched.currency,
    version: fetched.version,
    order: {
      earning: fetched.earning,
      name: fetched.name,
      customer: {
        email: fetched.customer.email,
        phone: fetched.customer.phone,
        firstName: fetched.customer.firstName,
        lastName: fetched.customer.lastName,
      },
    },
  });
  return reconcileAll(tx, shopId, orderId);
}

/** The order id an orders/edited payload is about (to read the order back before applying it). */
export function editedOrderId(payload: unknown): string {
  return OrderEditedPayload.parse(payload).order_edit.order_id;
}

export async function applyRefund(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const refund = RefundPayload.parse(payload);
  const orderId = BigInt(refund.order_id);
  await tx.orderRecord.upsert({
    where: { shopId_orderId: { shopId, orderId } },
    create: { shopId, orderId },
    update: {},
  });
  const facts = refundFacts(refund);
  // Refunds are in shop money, so the shop's currency converts them even before the order is known.
  const shop = await tx.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { currency: true },
  });
  await tx.refundRecord.createMany({
    data: {
      shopId,
      orderId,
      refundId: BigInt(refund.id),
      lines: facts.lines,
      amount: JSON.stringify(facts.amounts),
      amountMinor: facts.amounts.reduce((sum, a) => sum + toMinorUnits(a, shop.currency), 0),
      createdAt: new Date(refund.created_at),
    },
    skipDuplicates: true,
  });
  return reconcileAll(tx, shopId, orderId);
}

export async function applyOrderCancelled(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const order = OrderPayload.parse(payload);
  const orderId = BigInt(order.id);
  const cancelledAt = new Date(order.cancelled_at ?? Date.now());
  await tx.orderRecord.upsert({
    where: { shopId_orderId: { shopId, orderId } },
    create: { shopId, orderId, cancelledAt },
    update: { cancelledAt },
  });
  return reconcileAll(tx, shopId, orderId);
}

interface OrderVersion {
  customerId: bigint;
  name: string | null;
  currency: string;
  version: Date;
  order: StoredOrder;
}

/**
 * Stores a version of the order unless a newer one is already stored. The conditional update is
 * one statement, so two deliveries racing on the same order cannot put the older version back.
 */
async function storeOrderVersion(
  tx: Prisma.TransactionClient,
  shopId: string,
  orderId: bigint,
  next: OrderVersion,
) {
  await tx.orderRecord.upsert({
    where: { shopId_orderId: { shopId, orderId } },
    create: { shopId, orderId },
    update: {},
  });
  await tx.orderRecord.updateMany({
    where: {
      shopId,
      orderId,
      OR: [{ orderVersion: null }, { orderVersion: { lte: next.version } }],
    },
    data: {
      customerId: next.customerId,
      name: next.name,
      currency: next.currency,
      order: next.order as unknown as Prisma.InputJsonValue,
      orderVersion: next.version,
      spendMinor: goodsSpendMinor(next.order.earning),
    },
  });
}
