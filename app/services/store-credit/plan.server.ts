import type { Prisma } from "@prisma/client";
import { earnForOrder, EarnSnapshotSchema, compareRefundIds } from "~/domain/earning";
import { cashbackForBasis, planCashback, type CashbackTransaction } from "~/domain/store-credit";
import { queueStoreCreditSend } from "~/jobs/queues/send.server";
import { refundForClawback, type RefundFacts } from "~/services/orders/payloads";
import { survivor } from "../members/merge.server";
import type { StoredOrder } from "../orders/reconcile.server";
import { programInForce, type ProgramInForce } from "../program/versions.server";

/**
 * Writes the cashback credits and debits the order's facts call for (ADR 0030), in the webhook's
 * transaction, and queues the job that sends them to Shopify. Each row's key is unique per shop,
 * so a redelivered webhook or a retried job writes nothing twice. Returns how many were written.
 */
export async function reconcileCashback(
  tx: Prisma.TransactionClient,
  shopId: string,
  orderId: bigint,
  now = new Date(),
  /** The program in force, when the caller has already read it in this transaction. */
  program?: ProgramInForce,
): Promise<number> {
  const { config } = program ?? (await programInForce(tx, shopId));
  // Cashback off (the common case on the hot path): one indexed lookup for rows from when it was on.
  // Raw: it runs for every order applied (no query compilation, ADR 0034).
  if (!config.storeCredit.enabled) {
    const earlier = await tx.$queryRaw<unknown[]>`
      SELECT 1 FROM "StoreCreditTransaction"
      WHERE "shopId" = ${shopId}::uuid AND "orderId" = ${orderId}::bigint LIMIT 1`;
    if (earlier.length === 0) return 0;
  }
  const record = await tx.orderRecord.findUnique({
    where: { shopId_orderId: { shopId, orderId } },
    include: { refunds: true },
  });
  if (!record?.order || !record.paidAt || !record.customerId || !record.currency) return 0;
  const existing = await tx.storeCreditTransaction.findMany({
    where: { shopId, orderId },
    select: { idempotencyKey: true, kind: true, amountMinor: true, detail: true },
  });
  if (existing.length === 0 && !config.storeCredit.enabled) return 0;
  const shop = await tx.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { currency: true },
  });
  const stored = record.order as unknown as StoredOrder;
  // Store credit is in the shop currency; an order in another currency earns none (ADR 0030).
  const offer =
    record.currency === shop.currency
      ? (() => {
          const snapshot = earnForOrder(stored.earning, config, 1).snapshot;
          return {
            snapshot,
            amountMinor: cashbackForBasis(snapshot.basisMinor, config.storeCredit),
          };
        })()
      : null;
  const credit = existing.find((e) => e.kind === "credit");
  const creditSnapshot = credit ? EarnSnapshotSchema.parse(credit.detail) : null;
  const planned = planCashback(
    {
      orderId: orderId.toString(),
      offer,
      existing: existing.map((e) => ({
        key: e.idempotencyKey,
        kind: e.kind as "credit" | "debit",
        amountMinor: e.amountMinor,
      })),
      refunds: record.refunds
        .map((r) =>
          refundForClawback(
            r.refundId.toString(),
            { lines: r.lines as RefundFacts["lines"], amounts: JSON.parse(r.amount) as string[] },
            record.currency!,
          ),
        )
        .sort((a, b) => compareRefundIds(a.refundId, b.refundId)),
      cancelled: record.cancelledAt !== null,
    },
    creditSnapshot,
  );
  if (planned.length === 0) return 0;
  const member = await tx.member.findUniqueOrThrow({
    where: { shopId_customerId: { shopId, customerId: record.customerId } },
  });
  // Cashback of a customer Shopify merged away goes to (and is taken back from) the survivor.
  const target = await survivor(tx, member);
  const expiryDays = config.storeCredit.expiryDays;
  const { count } = await tx.storeCreditTransaction.createMany({
    data: planned.map((t: CashbackTransaction) => ({
      shopId,
      memberId: target.id,
      customerId: target.customerId,
      kind: t.kind,
      source: t.source,
      idempotencyKey: t.key,
      orderId,
      refundId: t.refundId === null ? null : BigInt(t.refundId),
      amountMinor: t.amountMinor,
      currency: shop.currency,
      expiresAt:
        t.kind === "credit" && expiryDays > 0
          ? new Date(now.getTime() + expiryDays * 86_400_000)
          : null,
      detail:
        t.kind === "credit" && offer
          ? ({ ...offer.snapshot, points: t.amountMinor } as Prisma.InputJsonValue)
          : undefined,
    })),
    skipDuplicates: true,
  });
  if (count > 0) await queueStoreCreditSend(tx, shopId);
  return count;
}
