import type { Member, Prisma } from "@prisma/client";
import { deriveLots } from "~/domain/expiry/lots";
import { postEntry } from "../ledger/post-entry.server";

/**
 * The merged member's points arrive on the kept member lot by lot (ADR 0054): each lot still open
 * is one `merge` credit that names when it was earned (`detail.lotEarnedAt`), so it expires when
 * it would have on the merged member; points outside lots (manual credits, earlier merges) arrive
 * as one credit that never expires, and a debt as one debit. The first credit keeps the key the
 * merge always used (`merge:<member>:in`).
 */
export async function moveBalanceByLots(
  tx: Prisma.TransactionClient,
  merged: Member,
  kept: Member,
  detail: { jobId: string | null },
): Promise<Member> {
  const entries = await tx.ledgerEntry.findMany({
    where: { shopId: merged.shopId, memberId: merged.id },
    select: { id: true, kind: true, points: true, createdAt: true, detail: true },
  });
  const { lots, unexpiring, debt } = deriveLots(entries);
  const parts: { points: number; lot?: { lotId: string; earnedAt: Date } }[] = [
    ...lots
      .filter((lot) => lot.remaining > 0)
      .map((lot) => ({ points: lot.remaining, lot: { lotId: lot.lotId, earnedAt: lot.earnedAt } })),
    ...(unexpiring > 0 ? [{ points: unexpiring }] : []),
    ...(debt > 0 ? [{ points: -debt }] : []),
  ];
  // The lots are derived from the same entries as the balance; any difference (a drift the
  // nightly reconciliation reports) moves as points that never expire, so the balance moves whole.
  const rest = merged.pointsBalance - parts.reduce((sum, part) => sum + part.points, 0);
  if (rest !== 0) parts.push({ points: rest });
  let receiving = kept;
  for (const [index, part] of parts.entries()) {
    if (part.points === 0) continue;
    const result = await postEntry(tx, receiving, {
      kind: "merge",
      source: "customer_merge",
      points: part.points,
      idempotencyKey: index === 0 ? `merge:${merged.id}:in` : `merge:${merged.id}:in:${index}`,
      detail: {
        from: merged.id,
        jobId: detail.jobId,
        ...(part.lot
          ? { lotId: part.lot.lotId, lotEarnedAt: part.lot.earnedAt.toISOString() }
          : {}),
      },
      allowNegative: true,
    });
    if (result.status !== "posted") throw new Error(`merge entry for ${merged.id} already exists`);
    receiving = result.member;
  }
  return receiving;
}

/**
 * Everything else the merged member had follows them to the kept member: their rewards (issued,
 * held or used, so reminders, expiry and the admin's history go to the member who can use them),
 * rewards owed but not issued yet, store credit still to send, the referrals they made or were
 * made in, and their referral code when the kept member has none (a code the kept member already
 * has wins; the merged one's link keeps working through the merge chain, see referrals/claim).
 * The store credit mirror is Shopify's balance: Shopify combines the customers' accounts, so the
 * kept member's mirror takes the merged one's amount in the same currency until it is read again.
 */
export async function moveBelongings(tx: Prisma.TransactionClient, merged: Member, kept: Member) {
  const { shopId } = merged;
  const moved = { memberId: kept.id };
  await tx.redemption.updateMany({ where: { shopId, memberId: merged.id }, data: moved });
  await tx.rewardGrant.updateMany({
    where: { shopId, memberId: merged.id },
    data: { ...moved, customerId: kept.customerId },
  });
  await tx.storeCreditTransaction.updateMany({
    where: { shopId, memberId: merged.id, state: { in: ["pending", "failed"] } },
    data: { ...moved, customerId: kept.customerId },
  });
  await tx.referral.updateMany({
    where: { shopId, advocateMemberId: merged.id },
    data: { advocateMemberId: kept.id },
  });
  await tx.referral.updateMany({
    where: { shopId, friendMemberId: merged.id },
    data: { friendMemberId: kept.id },
  });
  const keptCode = await tx.referralCode.findUnique({
    where: { shopId_memberId: { shopId, memberId: kept.id } },
  });
  if (!keptCode) {
    await tx.referralCode.updateMany({ where: { shopId, memberId: merged.id }, data: moved });
  }
  const sameCurrency =
    merged.storeCreditCurrency !== null &&
    (kept.storeCreditCurrency === null || kept.storeCreditCurrency === merged.storeCreditCurrency);
  if (sameCurrency && merged.storeCreditMinor !== 0) {
    return tx.member.update({
      where: { id: kept.id },
      data: {
        storeCreditMinor: { increment: merged.storeCreditMinor },
        storeCreditCurrency: merged.storeCreditCurrency,
      },
    });
  }
  return kept;
}
