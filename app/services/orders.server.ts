import type { Member, Prisma } from "@prisma/client";
import {
  cumulativeClawback,
  compareRefundIds,
  earnForOrder,
  EarnSnapshotSchema,
  reversalForCancellation,
  type EarnSnapshot,
  type OrderForEarning,
} from "~/domain/earning";
import type { ProgramConfig } from "~/domain/program";
import {
  OrderPayload,
  RefundPayload,
  orderForEarning,
  refundFacts,
  refundForClawback,
  type RefundFacts,
} from "~/webhooks/order-payloads";
import { postEntry } from "./ledger.server";
import { survivor } from "./customer-merge.server";
import { ensureMember, lockMember } from "./members.server";
import { recordEvent } from "./outbox.server";
import { programInForce } from "./program.server";
import { reevaluateTier } from "./tiers.server";
import type { HandlerOutcome } from "./stored-delivery";

/**
 * Orders are applied as facts, then reconciled: whatever order webhooks arrive in (a refund before
 * the paid order, a redelivery, a cancellation between two refunds), the ledger for the order ends
 * up with the same net points, each effect under its own idempotency key.
 */
interface StoredOrder {
  earning: OrderForEarning;
  name: string | null;
  customer: {
    email: string | null;
    phone: string | null;
    firstName: string | null;
    lastName: string | null;
  };
}

export async function applyOrderPaid(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const order = OrderPayload.parse(payload);
  if (!order.customer) return "ignored";
  const stored: StoredOrder = {
    earning: orderForEarning(order),
    name: order.name ?? null,
    customer: {
      email: order.customer.email ?? null,
      phone: order.customer.phone ?? null,
      firstName: order.customer.first_name ?? null,
      lastName: order.customer.last_name ?? null,
    },
  };
  const key = { shopId_orderId: { shopId, orderId: BigInt(order.id) } };
  const facts = {
    customerId: BigInt(order.customer.id),
    name: order.name ?? null,
    currency: order.currency,
    order: stored as unknown as Prisma.InputJsonValue,
    paidAt: new Date(order.processed_at ?? order.created_at),
  };
  await tx.orderRecord.upsert({
    where: key,
    create: { shopId, orderId: BigInt(order.id), ...facts },
    update: facts,
  });
  return reconcileOrder(tx, shopId, BigInt(order.id));
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
  await tx.refundRecord.createMany({
    data: {
      shopId,
      orderId,
      refundId: BigInt(refund.id),
      lines: facts.lines,
      amount: JSON.stringify(facts.amounts),
      createdAt: new Date(refund.created_at),
    },
    skipDuplicates: true,
  });
  return reconcileOrder(tx, shopId, orderId);
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
  return reconcileOrder(tx, shopId, orderId);
}

/** Brings the order's ledger entries in line with every fact known about the order. */
export async function reconcileOrder(
  tx: Prisma.TransactionClient,
  shopId: string,
  orderId: bigint,
): Promise<HandlerOutcome> {
  const record = await tx.orderRecord.findUnique({
    where: { shopId_orderId: { shopId, orderId } },
    include: { refunds: true },
  });
  if (!record?.order || !record.customerId || !record.currency) return "ignored"; // not paid yet, or a guest
  const stored = record.order as unknown as StoredOrder;
  const { config } = await programInForce(tx, shopId);
  await ensureMember(tx, shopId, { customerId: record.customerId, ...stored.customer });
  // An order of a customer Shopify merged away earns for (and is clawed back from) the survivor.
  let member = await survivor(tx, await lockMember(tx, shopId, record.customerId));
  const context = { orderId, orderName: record.name, config };

  const entries = await tx.ledgerEntry.findMany({
    where: { shopId, orderId },
    select: { idempotencyKey: true, points: true, detail: true },
  });
  const earnKey = `order:${orderId}:earn`;
  const earned = entries.find((e) => e.idempotencyKey === earnKey);
  let snapshot: EarnSnapshot;
  if (earned) {
    snapshot = EarnSnapshotSchema.parse((earned.detail as { snapshot: unknown }).snapshot);
  } else {
    const multiplier = config.tiers.find((t) => t.id === member.tierId)?.earnMultiplier ?? 1;
    snapshot = earnForOrder(stored.earning, config, multiplier).snapshot;
    if (snapshot.points === 0) return "ignored";
    member = await credit(tx, member, snapshot, earnKey, context);
  }

  let removed = -entries
    .filter(
      (e) =>
        e.idempotencyKey.startsWith(`order:${orderId}:refund:`) ||
        e.idempotencyKey === `order:${orderId}:cancel`,
    )
    .reduce((sum, e) => sum + e.points, 0);
  const posted = new Set(entries.map((e) => e.idempotencyKey));
  const currency = record.currency;
  const refunds = record.refunds
    .map((r) =>
      refundForClawback(
        r.refundId.toString(),
        { lines: r.lines as RefundFacts["lines"], amounts: JSON.parse(r.amount) as string[] },
        currency,
      ),
    )
    .sort((a, b) => compareRefundIds(a.refundId, b.refundId));
  const applied = refunds.filter((r) => posted.has(`order:${orderId}:refund:${r.refundId}`));
  for (const refund of refunds) {
    const key = `order:${orderId}:refund:${refund.refundId}`;
    if (posted.has(key)) continue;
    applied.push(refund);
    const points = Math.max(0, cumulativeClawback(snapshot, applied) - removed);
    if (points > 0) {
      const result = await debit(tx, member, points, key, "clawback", "order_refund", context, {
        refundId: refund.refundId,
      });
      member = result.member;
      removed += result.taken;
    }
  }
  if (record.cancelledAt && !posted.has(`order:${orderId}:cancel`)) {
    const points = reversalForCancellation(snapshot, removed);
    if (points > 0) {
      const result = await debit(
        tx,
        member,
        points,
        `order:${orderId}:cancel`,
        "reversal",
        "order_cancelled",
        context,
        {},
      );
      member = result.member;
    }
  }
  // Spend changed: tiers upgrade at once (and entry bonuses follow); downgrades wait for period end.
  const shop = await tx.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { timeZone: true },
  });
  await reevaluateTier(tx, member, config, shop.timeZone);
  return "applied";
}

interface OrderContext {
  orderId: bigint;
  orderName: string | null;
  config: ProgramConfig;
}

async function credit(
  tx: Prisma.TransactionClient,
  member: Member,
  snapshot: EarnSnapshot,
  key: string,
  context: OrderContext,
) {
  const result = await postEntry(tx, member, {
    kind: "earn",
    source: "purchase",
    points: snapshot.points,
    idempotencyKey: key,
    orderId: context.orderId,
    detail: { snapshot } as unknown as Prisma.InputJsonValue,
  });
  if (result.status !== "posted") return member;
  await recordEvent(tx, result.member, context.config, "points.added", {
    points: snapshot.points,
    source: "purchase",
    order_id: context.orderId.toString(),
    order_name: context.orderName,
    note: null,
  });
  return result.member;
}

/**
 * Takes back up to `points`. Without the merchant's negative-balance setting a debit stops at the
 * available balance and records the shortfall; the next reconcile of the order tries again.
 */
async function debit(
  tx: Prisma.TransactionClient,
  member: Member,
  points: number,
  key: string,
  kind: "clawback" | "reversal",
  source: "order_refund" | "order_cancelled",
  context: OrderContext,
  detail: Record<string, string>,
) {
  const allowNegative = context.config.refunds.allowNegativeBalance;
  const taken = allowNegative ? points : Math.min(points, Math.max(member.pointsBalance, 0));
  if (taken === 0) return { member, taken: 0 };
  const result = await postEntry(tx, member, {
    kind,
    source,
    points: -taken,
    idempotencyKey: key,
    orderId: context.orderId,
    allowNegative,
    detail: { ...detail, requested: points, shortfall: points - taken },
  });
  if (result.status !== "posted") return { member, taken: 0 };
  await recordEvent(tx, result.member, context.config, "points.subtracted", {
    points: taken,
    source,
    order_id: context.orderId.toString(),
    order_name: context.orderName,
    note: null,
  });
  return { member: result.member, taken };
}
