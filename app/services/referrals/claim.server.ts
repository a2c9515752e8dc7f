import { randomUUID } from "node:crypto";
import type { Member, Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { assessReferral, type ReferralParty, type ReferralProgram } from "~/domain/referrals/rules";
import type { AdminCall } from "~/integrations/shopify/rewards.server";
import { shopperRefusal, type ClaimRefusalReason } from "~/domain/referrals/shopper";
import { ReferralRefused } from "../errors";
import { survivor } from "../members/merge.server";
import { lockActiveMember, lockMember } from "../members/repository.server";
import { recordEvent } from "../events/outbox.server";
import { programInForce } from "../program/versions.server";
import { redeemReward } from "../rewards/redemption/redeem.server";
import { referralProgramOf } from "./program.server";

export type ClaimCheck =
  | {
      kind: "rejected";
      reason: ClaimRefusalReason;
      detail: string;
      advocateMemberId: string | null;
    }
  | { kind: "accepted"; referralId: string; program: ReferralProgram; fresh: boolean };

/**
 * A signed-in friend claims an advocate's code: fraud rules (domain/referrals), then one Referral
 * per friend (unique), the friend's reward from the catalog (source referral) and
 * referral.accepted on the friend. A refused claim is recorded with its rule for the merchant and
 * answered with a ReferralRefused in the shopper's words; a retried claim finishes what the first
 * one started.
 */
export async function claimReferral(
  api: AdminCall,
  claim: { shopId: string; friendCustomerId: bigint; code: string },
  now = new Date(),
) {
  const { shopId, friendCustomerId } = claim;
  const code = claim.code.trim().toUpperCase();
  const check = await prisma.$transaction((tx) =>
    checkClaim(tx, shopId, friendCustomerId, code, now),
  );
  if (check.kind === "rejected") {
    await prisma.referralRejection.create({
      data: {
        shopId,
        code,
        friendCustomerId,
        advocateMemberId: check.advocateMemberId,
        reason: check.reason,
        detail: check.detail,
      },
    });
    throw new ReferralRefused(check.reason, shopperRefusal(check.reason), check.detail);
  }
  const referralId = check.referralId;
  if (!check.program.friendRewardHandle) {
    if (check.fresh) await recordAccepted(referralId, null, now);
    return { referralId, reward: null };
  }
  const reward = await redeemReward(api, {
    shopId,
    customerId: friendCustomerId,
    reward: { handle: check.program.friendRewardHandle },
    // The same key on a retry answers with the reward already issued (or finishes issuing it).
    requestKey: `referral:${referralId}:friend`,
    source: "referral",
  });
  await recordAccepted(referralId, reward, now);
  return { referralId, reward };
}

/**
 * The claim's rules, in the caller's transaction: creates the friend's accepted Referral or says
 * which rule refused it. `exceptOrderId`: the order that carries the claim (a cart's code) is not
 * an order "before" it.
 */
export async function checkClaim(
  tx: Prisma.TransactionClient,
  shopId: string,
  friendCustomerId: bigint,
  code: string,
  now: Date,
  exceptOrderId?: bigint,
): Promise<ClaimCheck> {
  const program = await referralProgramOf(tx, shopId);
  const refuse = (
    reason: ClaimRefusalReason,
    detail: string,
    advocateMemberId: string | null = null,
  ) => ({ kind: "rejected", reason, detail, advocateMemberId }) as const;
  if (!program.enabled) return refuse("program_off", "Referrals are not open in this shop");
  const friend = await lockActiveMember(tx, shopId, friendCustomerId);
  const owner = await tx.referralCode.findUnique({ where: { shopId_code: { shopId, code } } });
  if (!owner) return refuse("unknown_code", `There is no referral code ${code}`);
  const existing = await tx.referral.findUnique({
    where: { shopId_friendCustomerId: { shopId, friendCustomerId } },
  });
  if (existing) {
    if (existing.code === code) {
      return { kind: "accepted", referralId: existing.id, program, fresh: false };
    }
    return refuse("already_referred", "You were already referred by someone else", owner.memberId);
  }
  // A code of a customer Shopify merged away still works: it refers for the kept member.
  const advocate = await survivor(
    tx,
    await tx.member.findUniqueOrThrow({ where: { id: owner.memberId } }),
  );
  const cap = program.advocateCap;
  const verdict = assessReferral(
    program,
    {
      advocate: partyOf(advocate),
      friend: partyOf(friend),
      friendPriorOrders: await tx.orderRecord.count({
        where: {
          shopId,
          customerId: friendCustomerId,
          paidAt: { not: null },
          ...(exceptOrderId !== undefined ? { orderId: { not: exceptOrderId } } : {}),
        },
      }),
      advocateReferralTimes: cap
        ? (
            await tx.referral.findMany({
              where: {
                shopId,
                advocateMemberId: advocate.id,
                createdAt: { gt: new Date(now.getTime() - cap.periodDays * 86_400_000) },
              },
              select: { createdAt: true },
            })
          ).map((r) => r.createdAt)
        : [],
    },
    now,
  );
  if (!verdict.ok) return refuse(verdict.reason, verdict.detail, advocate.id);
  const id = randomUUID();
  const { count } = await tx.referral.createMany({
    data: {
      id,
      shopId,
      advocateMemberId: advocate.id,
      friendMemberId: friend.id,
      friendCustomerId,
      code,
      state: "accepted",
      createdAt: now,
    },
    skipDuplicates: true,
  });
  if (count === 0) return refuse("already_referred", "You were already referred", advocate.id);
  return { kind: "accepted", referralId: id, program, fresh: true };
}

async function recordAccepted(
  referralId: string,
  reward: Awaited<ReturnType<typeof redeemReward>> | null,
  now: Date,
) {
  await prisma.$transaction(async (tx) => {
    const referral = await tx.referral.findUniqueOrThrow({ where: { id: referralId } });
    // Only the writer of friendRedemptionId records the event (a claim without a friend reward
    // comes here once: only when its referral row was just created).
    const { count } = await tx.referral.updateMany({
      where: { id: referralId, friendRedemptionId: null },
      data: { friendRedemptionId: reward?.redemptionId ?? null },
    });
    if (count === 0) return;
    const friend = await lockMember(tx, referral.shopId, referral.friendCustomerId);
    const advocate = await tx.member.findUniqueOrThrow({
      where: { id: referral.advocateMemberId },
    });
    const { config } = await programInForce(tx, referral.shopId);
    await recordEvent(
      tx,
      friend,
      config,
      "referral.accepted",
      {
        advocate_customer_id: advocate.customerId.toString(),
        advocate_name: fullName(advocate),
        referral_code: referral.code,
        reward_name: reward?.rewardName ?? null,
        reward_code: reward?.code ?? null,
        reward_value_formatted: reward?.valueFormatted ?? null,
        reward_expires_at: reward?.expiresAt ?? null,
      },
      now,
    );
  });
}

export function partyOf(member: Member): ReferralParty {
  return {
    customerId: member.customerId,
    email: member.email,
    phone: member.phone,
    addressKey: member.addressKey,
  };
}

export function fullName(member: { firstName: string | null; lastName: string | null }) {
  return [member.firstName, member.lastName].filter(Boolean).join(" ") || null;
}
