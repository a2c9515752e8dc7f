import { Prisma } from "@prisma/client";
import { z } from "zod";
import { assessCompletion } from "~/domain/referrals/rules";
import { toMinorUnits } from "~/domain/money";
import type { ProgramConfig } from "~/domain/program/index";
import { addressKeyOf } from "../members/address-key.server";
import { postEntry } from "../ledger/post-entry.server";
import { lockMember } from "../members/repository.server";
import { recordEvent } from "../events/outbox.server";
import { grantRewardLater } from "../rewards/grants/record.server";
import { reconcileTierAfterBonus } from "../tiers/evaluate.server";
import { fullName, partyOf } from "./claim.server";
import { referralProgramOf } from "./program.server";

// The orders/paid half of referrals: a friend's first qualifying paid order completes their
// accepted referral and pays the advocate, or rejects it when a fraud rule says so. The program's
// settings and codes are in program.server.ts, a friend's claim of a code in claim.server.ts.

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
  let pointsAwarded = 0;
  if (program.advocatePoints > 0 && advocate.status === "active") {
    const credit = await postEntry(tx, advocate, {
      kind: "bonus",
      source: "referral",
      points: program.advocatePoints,
      idempotencyKey: `referral:${referral.id}:advocate`,
      detail: { referralId: referral.id, orderId: order.id },
    });
    if (credit.status === "posted") {
      advocate = await reconcileTierAfterBonus(tx, credit.member, config, now);
      pointsAwarded = program.advocatePoints;
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
  const friendReward = await friendRewardOf(tx, referral.id);
  const completed = {
    friend_customer_id: friendCustomerId.toString(),
    friend_name: fullName(friend),
    referral_code: referral.code,
    order_id: order.id,
    order_name: order.name ?? null,
    points_awarded: pointsAwarded,
    friend_reward_name: friendReward?.name ?? null,
    friend_reward_code: friendReward?.code ?? null,
  };
  // With a reward for the advocate the event waits for it, so it carries its name and code
  // (recorded when the grant is issued, or without it if Shopify refuses: follow-up.server).
  const granted =
    advocate.status === "active" &&
    (await grantRewardLater(
      tx,
      advocate,
      "referral",
      program.advocateRewardHandle,
      `grant:referral:${referral.id}:advocate`,
      { type: "referral.completed", payload: completed, occurredAt: now.toISOString() },
    ));
  if (!granted) {
    await recordEvent(
      tx,
      advocate,
      config,
      "referral.completed",
      { ...completed, reward_name: null, reward_code: null, reward_value_formatted: null },
      now,
    );
  }
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

/** The reward the friend was issued for claiming the code (its catalog name and code). */
async function friendRewardOf(tx: Prisma.TransactionClient, referralId: string) {
  const referral = await tx.referral.findUnique({
    where: { id: referralId },
    select: { friendRedemptionId: true },
  });
  if (!referral?.friendRedemptionId) return null;
  const redemption = await tx.redemption.findUnique({
    where: { id: referral.friendRedemptionId },
    select: { state: true, code: true, rewardSnapshot: true },
  });
  if (!redemption || redemption.state === "reverted") return null;
  const name = (redemption.rewardSnapshot as { definition?: { name?: string } } | null)?.definition
    ?.name;
  return { name: name ?? null, code: redemption.code };
}
