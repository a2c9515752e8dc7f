import prisma from "~/db.server";
import { formatMoney } from "~/domain/money";
import { queueStoreCreditSend } from "~/jobs/queues/send.server";
import { shopMoneyLocale } from "../shops/money-locale.server";

// Store credit whose outcome at Shopify nobody could tell (ADR 0030: a lost answer, then a balance
// that moved by something else), for a person to look at. The two actions never send credit:
// "check again" only reads the balance back now instead of tomorrow, and "resolved" records that
// the merchant settled it in Shopify admin. Each is a state-guarded update, so a double click or
// two staff at once change the row once.

const SHOWN = 100;

export interface StoreCreditReviewRow {
  id: string;
  customerId: string;
  memberName: string | null;
  email: string | null;
  kind: string;
  source: string;
  orderId: string | null;
  amountFormatted: string;
  reason: string | null;
  sentAt: string | null;
  nextCheckAt: string | null;
}

export async function storeCreditNeedingReview(shopId: string): Promise<StoreCreditReviewRow[]> {
  const rows = await prisma.storeCreditTransaction.findMany({
    where: { shopId, state: "needs_review" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: SHOWN,
    include: { member: { select: { firstName: true, lastName: true, email: true } } },
  });
  const locale = await shopMoneyLocale(prisma, shopId);
  return rows.map((row) => ({
    id: row.id,
    customerId: row.customerId.toString(),
    memberName: [row.member.firstName, row.member.lastName].filter(Boolean).join(" ") || null,
    email: row.member.email,
    kind: row.kind,
    source: row.source,
    orderId: row.orderId?.toString() ?? null,
    amountFormatted: formatMoney(row.appliedMinor ?? row.amountMinor, row.currency, locale),
    reason: row.lastError,
    sentAt: row.sentAt?.toISOString() ?? null,
    nextCheckAt: row.nextAttemptAt?.toISOString() ?? null,
  }));
}

export type ReviewOutcome = "done" | "not_in_review";

/**
 * Reads the row's balance back at the next send run (the sender settles it as applied, sends it
 * again if the balance never moved, or leaves it here), instead of waiting for the daily look.
 */
export async function checkStoreCreditAgain(
  shopId: string,
  id: string,
  now = new Date(),
): Promise<ReviewOutcome> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.storeCreditTransaction.updateMany({
      where: { id, shopId, state: "needs_review" },
      data: { nextAttemptAt: now },
    });
    if (count === 0) return "not_in_review";
    await queueStoreCreditSend(tx, shopId);
    return "done";
  });
}

/** The merchant settled the credit in Shopify admin: the row leaves the list and is never sent. */
export async function resolveStoreCredit(
  shopId: string,
  id: string,
  staff: string | null,
  now = new Date(),
): Promise<ReviewOutcome> {
  const { count } = await prisma.storeCreditTransaction.updateMany({
    where: { id, shopId, state: "needs_review" },
    data: { state: "resolved", resolvedAt: now, resolvedBy: staff, nextAttemptAt: null },
  });
  return count === 1 ? "done" : "not_in_review";
}
