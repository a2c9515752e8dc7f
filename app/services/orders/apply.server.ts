import { Prisma } from "@prisma/client";
import { goodsSpendMinor, type OrderForEarning } from "~/domain/earning";
import { toMinorUnits } from "~/domain/money";
import type { FetchedOrder } from "~/integrations/shopify/order.server";
import { queueStoreCreditRefresh } from "~/jobs/queues/send.server";
import {
  OrderEditedPayload,
  OrderPayload,
  RefundPayload,
  STORE_CREDIT_GATEWAY,
  orderForEarning,
  refundFacts,
} from "./payloads";
import { reconcileOrder, type StoredOrder } from "./reconcile.server";
import { withCollectionIds, type CollectionMembership } from "./product-collections.server";
import type { ProgramInForce } from "../program/versions.server";
import { acceptedReferralQuery, type AcceptedReferral } from "../referrals/completion.server";
import { reconcileCashback } from "../store-credit/plan.server";
import type { HandlerOutcome } from "../webhooks/stored-delivery";

export { reconcileOrder } from "./reconcile.server";

/** Points first, then cashback (ADR 0030): both follow the same stored facts of the order. */
async function reconcileAll(
  tx: Prisma.TransactionClient,
  shopId: string,
  orderId: bigint,
  program?: ProgramInForce,
): Promise<HandlerOutcome> {
  const now = new Date();
  const points = await reconcileOrder(tx, shopId, orderId, now, program);
  const cashback = await reconcileCashback(tx, shopId, orderId, now, program);
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
  program?: ProgramInForce,
  collections: CollectionMembership = null,
): Promise<PaidOrderResult> {
  const order = OrderPayload.parse(payload);
  if (!order.customer) return { outcome: "ignored", acceptedReferral: null };
  const orderId = BigInt(order.id);
  const customerId = BigInt(order.customer.id);
  const paidAt = new Date(order.processed_at ?? order.created_at);
  // Only orders/paid says the order is paid (an edit read back earlier waits for it): the paid
  // time and customer are stored whether or not this version of the order is the newest. The
  // same statement reads the customer's accepted referral, which the paid order may complete.
  const [acceptedReferral] = await storeOrderVersion<AcceptedReferral>(
    tx,
    shopId,
    orderId,
    {
      customerId,
      name: order.name ?? null,
      currency: order.currency,
      version: new Date(order.updated_at ?? paidAt),
      order: {
        earning: withCollectionIds(orderForEarning(order), collections),
        ...(collections ? { collectionsRead: true } : {}),
        name: order.name ?? null,
        customer: {
          email: order.customer.email ?? null,
          phone: order.customer.phone ?? null,
          firstName: order.customer.first_name ?? null,
          lastName: order.customer.last_name ?? null,
        },
      },
    },
    paidAt,
    acceptedReferralQuery(shopId, customerId),
  );
  const outcome = await reconcileAll(tx, shopId, orderId, program);
  // Paid partly with Shopify store credit: the balance is read back and the spend announced
  // (issue 18; a redelivery finds the mirror already equal and announces nothing).
  if (order.payment_gateway_names?.includes(STORE_CREDIT_GATEWAY)) {
    await queueStoreCreditRefresh(tx, {
      shopId,
      customerIds: [customerId.toString()],
      orderId: orderId.toString(),
    });
  }
  return { outcome, acceptedReferral: acceptedReferral ?? null };
}

/** A paid order's outcome, and the customer's accepted referral read with it (for completeReferral). */
export interface PaidOrderResult {
  outcome: HandlerOutcome;
  acceptedReferral: AcceptedReferral | null;
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
  collectionsRead = false,
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
      ...(collectionsRead ? { collectionsRead: true } : {}),
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

/** The order and lines an orders/paid payload names (to read their collections before applying it). */
export function paidOrderFacts(payload: unknown): { orderId: string; earning: OrderForEarning } {
  const order = OrderPayload.parse(payload);
  return { orderId: order.id, earning: orderForEarning(order) };
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
  // One statement (not Prisma's select-then-insert upsert): two deliveries of one order applied
  // at once both get the row instead of one failing on the primary key. DO UPDATE, not DO
  // NOTHING: it locks the order's row until commit, as every other fact of the order does, so the
  // facts of one order are written and reconciled one transaction at a time. Without the lock a
  // refund applied beside its order's edit read the order before the edit committed, then (after
  // the member lock) took back the points the edit had just given (seed in order-independence).
  await tx.$executeRaw`
    INSERT INTO "OrderRecord" ("shopId", "orderId", "updatedAt")
    VALUES (${shopId}::uuid, ${orderId}::bigint, ${new Date().toISOString()}::timestamp(3))
    ON CONFLICT ("shopId", "orderId") DO UPDATE SET "updatedAt" = EXCLUDED."updatedAt"`;
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
  const cancelledAt = new Date(order.cancelled_at ?? Date.now()).toISOString();
  await tx.$executeRaw`
    INSERT INTO "OrderRecord" ("shopId", "orderId", "cancelledAt", "updatedAt")
    VALUES (${shopId}::uuid, ${orderId}::bigint, ${cancelledAt}::timestamp(3),
      ${new Date().toISOString()}::timestamp(3))
    ON CONFLICT ("shopId", "orderId") DO UPDATE
    SET "cancelledAt" = EXCLUDED."cancelledAt", "updatedAt" = EXCLUDED."updatedAt"`;
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
 * Stores a version of the order unless a newer one is already stored, and with `paidAt` (from
 * orders/paid) the paid time and customer in any case. One INSERT … ON CONFLICT DO UPDATE: two
 * deliveries racing on the same order neither fail on the primary key nor put an older version
 * back (the conflict branch compares against the row as committed, under its lock).
 */
async function storeOrderVersion<Row = never>(
  tx: Prisma.TransactionClient,
  shopId: string,
  orderId: bigint,
  next: OrderVersion,
  paidAt: Date | null = null,
  /** A read to run in the same statement (one round trip); its rows are returned. */
  alongside: Prisma.Sql = Prisma.sql`SELECT 1 WHERE false`,
): Promise<Row[]> {
  const paid = paidAt !== null;
  const spend = goodsSpendMinor(next.order.earning);
  return tx.$queryRaw<Row[]>`
    WITH stored AS (
    INSERT INTO "OrderRecord" AS o ("shopId", "orderId", "customerId", name, currency, "order",
      "orderVersion", "spendMinor", "paidSpendMinor", "paidAt", "updatedAt")
    VALUES (${shopId}::uuid, ${orderId}::bigint, ${next.customerId}::bigint, ${next.name}, ${next.currency},
      ${JSON.stringify(next.order)}::jsonb, ${next.version.toISOString()}::timestamp(3),
      ${spend}::integer, ${paid ? spend : null}::integer, ${paidAt?.toISOString() ?? null}::timestamp(3),
      ${new Date().toISOString()}::timestamp(3))
    ON CONFLICT ("shopId", "orderId") DO UPDATE SET
      "customerId" = CASE
        WHEN ${paid}::boolean OR o."orderVersion" IS NULL OR o."orderVersion" <= EXCLUDED."orderVersion"
        THEN EXCLUDED."customerId" ELSE o."customerId" END,
      name = CASE WHEN o."orderVersion" IS NULL OR o."orderVersion" <= EXCLUDED."orderVersion"
        THEN EXCLUDED.name ELSE o.name END,
      currency = CASE WHEN o."orderVersion" IS NULL OR o."orderVersion" <= EXCLUDED."orderVersion"
        THEN EXCLUDED.currency ELSE o.currency END,
      "order" = CASE WHEN o."orderVersion" IS NULL OR o."orderVersion" <= EXCLUDED."orderVersion"
        THEN EXCLUDED."order" ELSE o."order" END,
      "spendMinor" = CASE
        WHEN o."orderVersion" IS NULL OR o."orderVersion" <= EXCLUDED."orderVersion"
        THEN EXCLUDED."spendMinor" ELSE o."spendMinor" END,
      "orderVersion" = GREATEST(o."orderVersion", EXCLUDED."orderVersion"),
      "paidAt" = CASE WHEN ${paid}::boolean THEN EXCLUDED."paidAt" ELSE o."paidAt" END,
      "paidSpendMinor" = CASE WHEN ${paid}::boolean THEN EXCLUDED."paidSpendMinor"
        ELSE o."paidSpendMinor" END,
      "updatedAt" = EXCLUDED."updatedAt"
    )
    ${alongside}`;
}
