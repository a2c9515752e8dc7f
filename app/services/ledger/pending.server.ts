import type { Member, Prisma } from "@prisma/client";
import { heldPoints } from "~/domain/pending/index";

/**
 * Recomputes the member's held (pending) points as of the shop-local day `today` (ISO date) from
 * the orders still in their pending period, and stores it when it changed. Being derived from the
 * ledger, it is idempotent: running it twice, or after a retry, gives the same value. The member row
 * must be locked by the caller.
 */
export async function refreshPendingPoints(
  tx: Prisma.TransactionClient,
  member: Member,
  today: string,
  now: Date,
): Promise<Member> {
  // The orders' entries of the member and of customers merged into it: a merge moves the points
  // (ADR 0054), and what an order still holds stays held on the member it moved to.
  const rows = await tx.$queryRaw<{ net: bigint | number | null }[]>`
    WITH RECURSIVE members AS (
      SELECT ${member.id}::uuid AS id
      UNION
      SELECT m."mergedMemberId" FROM "MemberMerge" m JOIN members ON m."keptMemberId" = members.id
      WHERE m."shopId" = ${member.shopId}::uuid
    )
    SELECT SUM(e."points") AS net
    FROM "LedgerEntry" e
    JOIN "OrderRecord" o ON o."shopId" = e."shopId" AND o."orderId" = e."orderId"
    WHERE e."shopId" = ${member.shopId}::uuid
      AND e."memberId" IN (SELECT id FROM members)
      AND o."pointsReleaseOn" > ${today}
    GROUP BY e."orderId"`;
  const held = heldPoints(
    rows.map((row) => Number(row.net ?? 0)),
    member.pointsBalance,
  );
  if (held === member.pendingPoints) return member;
  // Profiles show held points: a change (a release above all) is re-sent to Klaviyo.
  return tx.member.update({
    where: { id: member.id },
    data: { pendingPoints: held, profileSyncRequestedAt: now },
  });
}
