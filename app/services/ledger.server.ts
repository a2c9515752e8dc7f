import { randomUUID } from "node:crypto";
import type { Member, Prisma } from "@prisma/client";
import { spendablePoints } from "~/domain/pending";

export type EntryKind =
  | "earn"
  | "clawback"
  | "reversal"
  | "adjustment"
  | "bonus"
  | "manual"
  | "redemption"
  | "expiry"
  | "merge"
  /** An opening balance imported from another loyalty app (ADR 0031): not earned here. */
  | "import";

/** Debits that spend points (rather than take back an order's own): held points are off limits. */
const SPENDING_KINDS: ReadonlySet<EntryKind> = new Set(["manual", "redemption"]);

export interface EntryInput {
  kind: EntryKind;
  /** The catalog's points.added / points.subtracted source. */
  source: string;
  /** Signed; never 0. */
  points: number;
  /** Unique per shop: the same key twice is the same effect, applied once. */
  idempotencyKey: string;
  orderId?: bigint | null;
  detail?: Prisma.InputJsonValue;
  /** Let a debit take the balance below zero (the merchant's refund clawback setting, Flow option). */
  allowNegative?: boolean;
  /** The caller's clock (jobs and tests inject it); the member's last activity is set from it. */
  now?: Date;
}

export type PostResult =
  | { status: "posted"; entryId: string; member: Member }
  | { status: "duplicate" }
  | { status: "insufficient"; available: number };

/**
 * Appends one entry and moves the cached balance in the same transaction. The member row must be
 * locked by the caller (lockMember/ensureMember), so two debits can never both pass the check.
 */
export async function postEntry(
  tx: Prisma.TransactionClient,
  member: Member,
  input: EntryInput,
): Promise<PostResult> {
  if (!Number.isSafeInteger(input.points) || input.points === 0) {
    throw new RangeError(`ledger points must be a non-zero integer, got ${input.points}`);
  }
  const balanceAfter = member.pointsBalance + input.points;
  // Spending cannot touch points still in the pending period; order clawbacks take their own.
  const held = SPENDING_KINDS.has(input.kind) ? member.pendingPoints : 0;
  const available = spendablePoints(member.pointsBalance, held);
  if (input.points < 0 && available + input.points < 0 && !input.allowNegative) {
    return { status: "insufficient", available };
  }
  const entryId = randomUUID();
  const { count } = await tx.ledgerEntry.createMany({
    data: {
      id: entryId,
      shopId: member.shopId,
      memberId: member.id,
      points: input.points,
      kind: input.kind,
      source: input.source,
      idempotencyKey: input.idempotencyKey,
      orderId: input.orderId ?? null,
      balanceAfter,
      detail: input.detail,
    },
    skipDuplicates: true,
  });
  if (count === 0) return { status: "duplicate" };
  const updated = await tx.member.update({
    where: { id: member.id },
    data: {
      pointsBalance: balanceAfter,
      ...lifetimeChange(input.kind, input.points),
      ...(countsAsActivity(input.kind) ? { lastActivityAt: input.now ?? new Date() } : {}),
    },
  });
  return { status: "posted", entryId, member: updated };
}

/**
 * Lifetime earned is net of refunds and cancellations and excludes manual adjustments; lifetime
 * spent counts redemptions (catalog §4 loyalty_lifetime_points_earned / _spent).
 */
function lifetimeChange(kind: EntryKind, points: number) {
  if (kind === "redemption") return { lifetimeSpent: { increment: -points } };
  if (["earn", "bonus", "clawback", "reversal", "adjustment"].includes(kind)) {
    return { lifetimeEarned: { increment: points } };
  }
  return {};
}

/** loyalty_last_activity_date excludes manual, expiry and void activity (catalog §4). */
function countsAsActivity(kind: EntryKind) {
  return kind === "earn" || kind === "bonus" || kind === "redemption";
}
