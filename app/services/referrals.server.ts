import { randomBytes, randomUUID } from "node:crypto";
import { Prisma, type Member } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import {
  assessCompletion,
  assessReferral,
  referralCodeFrom,
  ReferralProgramSchema,
  type ReferralParty,
  type ReferralProgram,
} from "~/domain/referrals/rules";
import { toMinorUnits } from "~/domain/money";
import type { ProgramConfig } from "~/domain/program";
import type { AdminCall } from "~/integrations/shopify/rewards.server";
import { addressKeyOf } from "./address-key.server";
import { LoyaltyError } from "./errors";
import { queueStorefrontPublish } from "~/jobs/storefront.server";
import { postEntry } from "./ledger.server";
import { lockActiveMember, lockMember } from "./members.server";
import { recordEvent } from "./outbox.server";
import { programInForce } from "./program.server";
import { redeemReward } from "./redemption/redeem.server";

export async function saveReferralProgram(shopId: string, input: unknown) {
  const config = ReferralProgramSchema.parse(input);
  await prisma.$transaction(async (tx) => {
    await tx.referralProgram.upsert({
      where: { shopId },
      create: { shopId, config },
      update: { config },
    });
    // The storefront's ways to earn include the referral bonus (app/domain/storefront).
    await queueStorefrontPublish(tx, shopId);
  });
  return config;
}

async function referralProgramOf(tx: Prisma.TransactionClient, shopId: string) {
  const row = await tx.referralProgram.findUnique({ where: { shopId } });
  return ReferralProgramSchema.parse(row?.config ?? {});
}

/** The member's referral code, created on first request (unique per shop; retried on a clash). */
export async function referralCodeFor(shopId: string, customerId: bigint): Promise<string> {
  const member = await prisma.member.findFirst({ where: { shopId, customerId, status: "active" } });
  if (!member) throw new LoyaltyError("member_not_found", "Join the program to refer friends");
  for (let attempt = 0; attempt < 5; attempt++) {
    await prisma.referralCode.createMany({
      data: { shopId, memberId: member.id, code: referralCodeFrom(randomBytes(8)) },
      skipDuplicates: true,
    });
    const row = await prisma.referralCode.findUnique({
      where: { shopId_memberId: { shopId, memberId: member.id } },
    });
    if (row) return row.code;
  }
  throw new Error("could not allocate a referral code");
}

type ClaimCheck =
  | { kind: "rejected"; reason: string; detail: string; advocateMemberId: string | null }
  | { kind: "accepted"; referralId: string; program: ReferralProgram; fresh: boolean };

/**
 * A signed-in friend claims an advocate's code: fraud rules (domain/referrals), then one Referral
 * per friend (unique), the friend's reward from the catalog (source referral) and
 * referral.accepted on the friend. A refused claim is recorded with its rule for the merchant and
 * answered with a LoyaltyError; a retried claim finishes what the first one started.
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
    throw new LoyaltyError("referral_rejected", check.detail);
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

async function checkClaim(
  tx: Prisma.TransactionClient,
  shopId: string,
  friendCustomerId: bigint,
  code: string,
  now: Date,
): Promise<ClaimCheck> {
  const program = await referralProgramOf(tx, shopId);
  const refuse = (reason: string, detail: string, advocateMemberId: string | null = null) =>
    ({ kind: "rejected", reason, detail, advocateMemberId }) as const;
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
  const advocate = await tx.member.findUniqueOrThrow({ where: { id: owner.memberId } });
  const cap = program.advocateCap;
  const verdict = assessReferral(
    program,
    {
      advocate: partyOf(advocate),
      friend: partyOf(friend),
      friendPriorOrders: await tx.orderRecord.count({
        where: { shopId, customerId: friendCustomerId, paidAt: { not: null } },
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

const PaidOrder = z
  .object({
    id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String),
    name: z.string().nullish(),
    currency: z.string().length(3),
    subtotal_price: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .optional(),
    customer: z
      .object({ id: z.union([z.number(), z.string()]).transform(String) })
      .loose()
      .nullish(),
    shipping_address: z
      .object({
        address1: z.string().nullish(),
        zip: z.string().nullish(),
        country_code: z.string().nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();

/** A friend's referral waiting for their first qualifying paid order. */
export interface AcceptedReferral {
  id: string;
  advocateMemberId: string;
  friendMemberId: string;
  code: string;
}

/** The friend's accepted referral (0 or 1 row of AcceptedReferral), to run alone or after a CTE. */
export function acceptedReferralQuery(shopId: string, friendCustomerId: bigint): Prisma.Sql {
  return Prisma.sql`
    SELECT id::text AS id, "advocateMemberId"::text AS "advocateMemberId",
      "friendMemberId"::text AS "friendMemberId", code
    FROM "Referral"
    WHERE "shopId" = ${shopId}::uuid AND "friendCustomerId" = ${friendCustomerId}::bigint
      AND state = 'accepted'`;
}

/**
 * orders/paid step: the friend's first qualifying paid order completes the referral (accepted →
 * completed, guarded by the state) and pays the advocate (ledger key referral:<id>:advocate),
 * with points.added (source referral) and referral.completed on the advocate.
 */
export async function completeReferral(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
  config: ProgramConfig,
  now = new Date(),
  /**
   * The friend's accepted referral (or null) when the caller already read it in this transaction
   * with `acceptedReferralQuery` (the paid order's upsert does, ADR 0047); undefined reads it here.
   */
  accepted?: AcceptedReferral | null,
): Promise<boolean> {
  const order = PaidOrder.parse(payload);
  if (!order.customer) return false;
  const friendCustomerId = BigInt(order.customer.id);
  // Raw: every paid order asks, almost always to find nothing (no query compilation, ADR 0034).
  const referral =
    accepted !== undefined
      ? accepted
      : ((
          await tx.$queryRaw<AcceptedReferral[]>(acceptedReferralQuery(shopId, friendCustomerId))
        )[0] ?? null);
  // A stale read is harmless: completing and rejecting both update only a referral still accepted.
  if (!referral) return false;
  const program = await referralProgramOf(tx, shopId);
  const subtotal = toMinorUnits(order.subtotal_price ?? "0", order.currency);
  if (subtotal < program.minimumOrderMinor) return false;
  const advocateRow = await tx.member.findUniqueOrThrow({
    where: { id: referral.advocateMemberId },
  });
  const verdict = assessCompletion(partyOf(advocateRow), addressKeyOf(order.shipping_address));
  if (!verdict.ok) {
    await rejectAtCompletion(tx, { ...referral, shopId, friendCustomerId }, order.id, verdict);
    return false;
  }
  const { count } = await tx.referral.updateMany({
    where: { id: referral.id, state: "accepted" },
    data: {
      state: "completed",
      orderId: BigInt(order.id),
      completedAt: now,
      pointsAwarded: program.advocatePoints,
    },
  });
  if (count === 0) return false;
  let advocate = await lockMember(tx, shopId, advocateRow.customerId);
  if (program.advocatePoints > 0 && advocate.status === "active") {
    const credit = await postEntry(tx, advocate, {
      kind: "bonus",
      source: "referral",
      points: program.advocatePoints,
      idempotencyKey: `referral:${referral.id}:advocate`,
      detail: { referralId: referral.id, orderId: order.id },
    });
    if (credit.status === "posted") {
      advocate = credit.member;
      await recordEvent(tx, advocate, config, "points.added", {
        points: program.advocatePoints,
        source: "referral",
        order_id: null,
        order_name: null,
        note: `Referral of customer ${friendCustomerId}`,
      });
    }
  }
  const friend = await tx.member.findUniqueOrThrow({ where: { id: referral.friendMemberId } });
  await recordEvent(
    tx,
    advocate,
    config,
    "referral.completed",
    {
      friend_customer_id: friendCustomerId.toString(),
      friend_name: fullName(friend),
      referral_code: referral.code,
      order_id: order.id,
      order_name: order.name ?? null,
      points_awarded: program.advocatePoints,
      reward_name: null,
      reward_code: null,
      reward_value_formatted: null,
    },
    now,
  );
  return true;
}

/**
 * The friend's qualifying order broke a fraud rule: the referral ends rejected (state-guarded, so
 * a redelivered order records it once) and the merchant sees why among the refused claims.
 */
async function rejectAtCompletion(
  tx: Prisma.TransactionClient,
  referral: {
    id: string;
    shopId: string;
    code: string;
    advocateMemberId: string;
    friendCustomerId: bigint;
  },
  orderId: string,
  verdict: { reason: string; detail: string },
) {
  const { count } = await tx.referral.updateMany({
    where: { id: referral.id, state: "accepted" },
    data: { state: "rejected", orderId: BigInt(orderId) },
  });
  if (count === 0) return;
  await tx.referralRejection.create({
    data: {
      shopId: referral.shopId,
      code: referral.code,
      friendCustomerId: referral.friendCustomerId,
      advocateMemberId: referral.advocateMemberId,
      reason: verdict.reason,
      detail: `${verdict.detail} (order ${orderId})`,
    },
  });
}

function partyOf(member: Member): ReferralParty {
  return {
    customerId: member.customerId,
    email: member.email,
    phone: member.phone,
    addressKey: member.addressKey,
  };
}

function fullName(member: { firstName: string | null; lastName: string | null }) {
  return [member.firstName, member.lastName].filter(Boolean).join(" ") || null;
}
