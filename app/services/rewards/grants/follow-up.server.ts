import { Prisma, type RewardGrant } from "@prisma/client";
import type { PayloadOf } from "~/domain/events/index";
import { recordEvent } from "../../events/outbox.server";
import { lockMember } from "../../members/repository.server";
import { programInForce } from "../../program/versions.server";
import type { IssuedReward } from "../redemption/redeem.server";

/**
 * An occasion's event that waits for the reward the occasion grants (ADR 0054): the birthday's
 * birth_month.entered, a completed referral's referral.completed and a referral taken from a
 * friend's cart's referral.accepted carry the reward's name, code
 * and expiry, which exist only once Shopify made the reward. The grant keeps the event without
 * them; it is recorded once, in the transaction that moves the grant to issued (with the reward)
 * or to failed (with none: the occasion happened, nothing was given).
 */
export type FollowUp =
  | {
      type: "birth_month.entered";
      payload: Omit<
        PayloadOf<"birth_month.entered">,
        "reward_name" | "reward_code" | "reward_expires_at"
      >;
      occurredAt: string;
    }
  | {
      type: "referral.completed";
      payload: Omit<
        PayloadOf<"referral.completed">,
        "reward_name" | "reward_code" | "reward_value_formatted"
      >;
      occurredAt: string;
    }
  | {
      /** A friend whose referral was taken from their first order's cart (no claim before). */
      type: "referral.accepted";
      payload: Omit<
        PayloadOf<"referral.accepted">,
        "reward_name" | "reward_code" | "reward_value_formatted" | "reward_expires_at"
      >;
      occurredAt: string;
    };

export async function recordFollowUp(
  tx: Prisma.TransactionClient,
  grant: Pick<RewardGrant, "id" | "shopId" | "customerId" | "followUp">,
  reward: IssuedReward | null,
) {
  const followUp = grant.followUp as FollowUp | null;
  if (!followUp) return;
  // Taken off the grant as it is recorded: a failed grant retried later never records it twice.
  const { count } = await tx.rewardGrant.updateMany({
    where: { id: grant.id, followUp: { not: Prisma.DbNull } },
    data: { followUp: Prisma.DbNull },
  });
  if (count === 0) return;
  const member = await lockMember(tx, grant.shopId, grant.customerId);
  const { config } = await programInForce(tx, grant.shopId);
  const occurredAt = new Date(followUp.occurredAt);
  if (followUp.type === "birth_month.entered") {
    await recordEvent(
      tx,
      member,
      config,
      "birth_month.entered",
      {
        ...followUp.payload,
        reward_name: reward?.rewardName ?? null,
        reward_code: reward?.code ?? null,
        reward_expires_at: reward?.expiresAt ?? null,
      },
      occurredAt,
    );
    return;
  }
  if (followUp.type === "referral.accepted") {
    await recordEvent(
      tx,
      member,
      config,
      "referral.accepted",
      {
        ...followUp.payload,
        reward_name: reward?.rewardName ?? null,
        reward_code: reward?.code ?? null,
        reward_value_formatted: reward?.valueFormatted ?? null,
        reward_expires_at: reward?.expiresAt ?? null,
      },
      occurredAt,
    );
    return;
  }
  await recordEvent(
    tx,
    member,
    config,
    "referral.completed",
    {
      ...followUp.payload,
      reward_name: reward?.rewardName ?? null,
      reward_code: reward?.code ?? null,
      reward_value_formatted: reward?.valueFormatted ?? null,
    },
    occurredAt,
  );
}
