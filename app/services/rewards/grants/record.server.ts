import type { Member, Prisma } from "@prisma/client";
import { queueRewardGrant } from "~/jobs/queues/send.server";
import type { FollowUp } from "./follow-up.server";

export type GrantOccasion =
  "welcome" | "birthday" | "tier_entry" | "one_time_campaign" | "referral";

/**
 * Records that `member` is owed the catalog reward `handle` for an occasion, in the caller's
 * transaction (the one that records the occasion), and queues the job that issues it. The unique
 * (shopId, idempotencyKey) makes it once per member and occasion; no handle = nothing granted.
 */
export async function grantRewardLater(
  tx: Prisma.TransactionClient,
  member: Member,
  occasion: GrantOccasion,
  handle: string | null,
  idempotencyKey: string,
  /** The occasion's event, recorded with the reward once it is issued (follow-up.server.ts). */
  followUp?: FollowUp,
): Promise<boolean> {
  if (!handle) return false;
  const { count } = await tx.rewardGrant.createMany({
    data: {
      shopId: member.shopId,
      memberId: member.id,
      customerId: member.customerId,
      occasion,
      rewardHandle: handle,
      idempotencyKey,
      ...(followUp ? { followUp: followUp as unknown as Prisma.InputJsonValue } : {}),
    },
    skipDuplicates: true,
  });
  if (count === 1) await queueRewardGrant(tx, member.shopId);
  return count === 1;
}

/**
 * The recompute's counterpart of grantRewardLater for tier entries: one statement for a batch of
 * members moved into tiers, with the same idempotency keys as the order path, so a member gets a
 * tier's reward once whichever path placed them. Returns how many grants were recorded.
 */
export async function grantTierEntryRewardsLater(
  tx: Prisma.TransactionClient,
  shopId: string,
  handle: string | null,
  entries: readonly { memberId: string; tierId: string }[],
): Promise<number> {
  if (!handle || entries.length === 0) return 0;
  const recorded = await tx.$executeRaw`
    INSERT INTO "RewardGrant" ("id", "shopId", "memberId", "customerId", "occasion",
      "rewardHandle", "idempotencyKey", "updatedAt")
    SELECT gen_random_uuid(), m."shopId", m."id", m."customerId", 'tier_entry', ${handle},
      'grant:tier_entry:' || m."id"::text || ':' || w."tierId", now()
    FROM unnest(${entries.map((e) => e.memberId)}::uuid[], ${entries.map((e) => e.tierId)}::text[])
      AS w("memberId", "tierId")
    JOIN "Member" m ON m."id" = w."memberId" AND m."shopId" = ${shopId}::uuid
    ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING`;
  if (recorded > 0) await queueRewardGrant(tx, shopId);
  return recorded;
}
