import { randomUUID } from "node:crypto";
import type { Member, Prisma } from "@prisma/client";
import { spendablePoints } from "~/domain/pending/index";
import { MEMBER_COLUMNS } from "../members/repository.server";

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
  /** When the effect happened, if before now: imported history is dated as it was (issue 18). */
  occurredAt?: Date;
}

export type PostResult =
  | { status: "posted"; entryId: string; member: Member }
  | { status: "duplicate" }
  | { status: "insufficient"; available: number };

/**
 * Appends one entry and moves the cached balance in the same statement. The member row must be
 * locked by the caller (lockMember/ensureMember), so two debits can never both pass the check.
 */
export async function postEntry(
  tx: Prisma.TransactionClient,
  member: Member,
  input: EntryInput,
): Promise<PostResult> {
  const effect = entryEffect(member, input);
  if (effect.status === "insufficient") return effect;
  const { balanceAfter, lifetime } = effect;
  const entryId = randomUUID();
  const activity = effect.activity?.toISOString() ?? null;
  // One raw statement (no query compilation, ADR 0034; one round trip, ADR 0037): the entry under
  // its idempotency key, and the cached balance only if the entry went in. The unique
  // (shopId, idempotencyKey) decides a duplicate.
  const rows = await tx.$queryRaw<Member[]>`
    WITH entry AS (
      INSERT INTO "LedgerEntry" (id, "shopId", "memberId", points, kind, source, "idempotencyKey",
        "orderId", "balanceAfter", detail, "createdAt")
      VALUES (${entryId}::uuid, ${member.shopId}::uuid, ${member.id}::uuid, ${input.points}::integer,
        ${input.kind}, ${input.source}, ${input.idempotencyKey}, ${input.orderId ?? null}::bigint,
        ${balanceAfter}::integer,
        ${input.detail === undefined ? null : JSON.stringify(input.detail)}::jsonb,
        ${(input.occurredAt ?? new Date()).toISOString()}::timestamp(3))
      ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
      RETURNING "memberId"
    )
    UPDATE "Member" SET
      "pointsBalance" = ${balanceAfter}::integer,
      "lifetimeEarned" = "lifetimeEarned" + ${lifetime.earned}::integer,
      "lifetimeSpent" = "lifetimeSpent" + ${lifetime.spent}::integer,
      -- The latest activity wins: an imported past order does not move it back.
      "lastActivityAt" = GREATEST(${activity}::timestamp(3), "lastActivityAt"),
      "updatedAt" = ${new Date().toISOString()}::timestamp(3)
    WHERE id = ${member.id}::uuid AND id IN (SELECT "memberId" FROM entry)
    RETURNING ${MEMBER_COLUMNS}`;
  const updated = rows[0];
  if (!updated) {
    // No balance moved: a duplicate, unless the entry went in and the member row is gone (the
    // caller's lock makes that impossible; an entry without its balance must never commit).
    const [inserted] = await tx.$queryRaw<unknown[]>`
      SELECT 1 FROM "LedgerEntry" WHERE id = ${entryId}::uuid`;
    if (inserted) throw new Error(`member ${member.id} disappeared while posting an entry`);
    return { status: "duplicate" };
  }
  return { status: "posted", entryId, member: updated };
}

/**
 * What an entry does to the member, before it is written: refused for lack of points, or the
 * balance after it, the lifetime points it moves and the activity it counts as (null: none).
 * postEntry writes it; the history import's pages apply it in memory first (ADR 0074).
 */
export function entryEffect(
  member: Member,
  input: EntryInput,
):
  | { status: "insufficient"; available: number }
  | {
      status: "ok";
      balanceAfter: number;
      lifetime: { earned: number; spent: number };
      activity: Date | null;
    } {
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
  const happened = input.occurredAt ?? input.now ?? new Date();
  return {
    status: "ok",
    balanceAfter,
    lifetime: lifetimeChange(input.kind, input.points),
    activity: countsAsActivity(input.kind) ? happened : null,
  };
}

/**
 * Lifetime earned is net of refunds and cancellations and excludes manual adjustments; lifetime
 * spent counts redemptions (catalog §4 loyalty_lifetime_points_earned / _spent).
 */
function lifetimeChange(kind: EntryKind, points: number) {
  if (kind === "redemption") return { earned: 0, spent: -points };
  if (["earn", "bonus", "clawback", "reversal", "adjustment"].includes(kind)) {
    return { earned: points, spent: 0 };
  }
  return { earned: 0, spent: 0 };
}

/** loyalty_last_activity_date excludes manual, expiry and void activity (catalog §4). */
function countsAsActivity(kind: EntryKind) {
  return kind === "earn" || kind === "bonus" || kind === "redemption";
}
