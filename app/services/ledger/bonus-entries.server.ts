import type { Member, Prisma } from "@prisma/client";

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
