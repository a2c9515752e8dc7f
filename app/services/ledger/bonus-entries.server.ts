import type { Member, Prisma } from "@prisma/client";
import type { ProgramConfig } from "~/domain/program/index";
import { recordEvent } from "../events/outbox.server";
import { postEntry } from "./post-entry.server";

/** The bonus families owed on a member's facts, and the detail field naming what each is for. */
const FAMILIES = { tier: "tierId", goal: "goalId" } as const;

/**
 * A family's bonus entries so far (paid, taken back, paid again), summed per tier or goal, on the
 * member and on the customers merged into it (whose bonuses moved here with their points): what
 * the tier entry and goal reconcilers compare with what the facts owe (ADR 0054, 0073).
 */
export async function bonusEntriesPaid(
  tx: Prisma.TransactionClient,
  member: Member,
  family: keyof typeof FAMILIES,
): Promise<Map<string, { points: number; entries: number }>> {
  const field = FAMILIES[family];
  const rows = await tx.$queryRaw<{ id: string; points: number; entries: number }[]>`
    WITH RECURSIVE members AS (
      SELECT ${member.id}::uuid AS id
      UNION
      SELECT m."mergedMemberId" FROM "MemberMerge" m JOIN members ON m."keptMemberId" = members.id
      WHERE m."shopId" = ${member.shopId}::uuid
    )
    SELECT detail->>${field}::text AS id, SUM(points)::int AS points, COUNT(*)::int AS entries
    FROM "LedgerEntry"
    WHERE "shopId" = ${member.shopId}::uuid AND "memberId" IN (SELECT id FROM members)
      AND "idempotencyKey" LIKE ${`${family}:%`} AND detail ? ${field}::text
    GROUP BY 1`;
  return new Map(rows.map(({ id, points, entries }) => [id, { points, entries }]));
}

/** Why a bonus the facts no longer owe goes back: the refund or cancellation that undid it. */
export interface BonusUndoneBy {
  cause: "refund" | "cancellation";
  orderId: string | null;
  orderName: string | null;
}

/**
 * A tier entry or goal bonus the facts no longer owe (`requested` points) goes back like refunded
 * points: not below zero unless the refund setting allows. Named `order_refund` or
 * `order_cancelled` with the order when a refund or cancellation undid it, else the bonus's own
 * source (a surplus a merge or a late earlier order explains). Returns the member as it now is.
 */
export async function takeBackBonus(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  bonus: {
    requested: number;
    key: string;
    detail: Record<string, string>;
    ownSource: "tier_bonus" | "goal";
    undone: BonusUndoneBy | null;
    note: string;
    now: Date;
  },
): Promise<Member> {
  const { requested, undone } = bonus;
  const allowNegative = config.refunds.allowNegativeBalance;
  const taken = allowNegative ? requested : Math.min(requested, Math.max(member.pointsBalance, 0));
  if (taken === 0) return member;
  const source = !undone
    ? bonus.ownSource
    : undone.cause === "cancellation"
      ? "order_cancelled"
      : "order_refund";
  const result = await postEntry(tx, member, {
    kind: "clawback",
    source,
    points: -taken,
    idempotencyKey: bonus.key,
    allowNegative,
    detail: { ...bonus.detail, requested, shortfall: requested - taken },
    now: bonus.now,
  });
  if (result.status !== "posted") return member;
  await recordEvent(tx, result.member, config, "points.subtracted", {
    points: taken,
    source,
    order_id: undone?.orderId ?? null,
    order_name: undone?.orderName ?? null,
    note: bonus.note,
  });
  return result.member;
}
