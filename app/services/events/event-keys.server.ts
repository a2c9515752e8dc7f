import type { Member, Prisma } from "@prisma/client";

/**
 * Claims a once-only event key in the caller's transaction: true only for the transaction whose
 * insert won. The primary key (shopId, key) decides, not a lookup, so two workers running the same
 * day cannot both send (the loser's insert waits for the winner's commit, then skips).
 */
export async function claimEventKey(
  tx: Prisma.TransactionClient,
  member: Member,
  key: string,
): Promise<boolean> {
  const { count } = await tx.scheduledEventKey.createMany({
    data: { shopId: member.shopId, memberId: member.id, key },
    skipDuplicates: true,
  });
  return count === 1;
}
