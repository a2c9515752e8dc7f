import type { Prisma, Redemption } from "@prisma/client";
import prisma from "~/db.server";
import { catalogRewardType } from "~/domain/rewards/index";
import { postEntry } from "../../ledger/post-entry.server";
import { recordStoreCreditReward } from "../../store-credit/reward.server";
import { lockMember } from "../../members/repository.server";
import { recordEvent } from "../../events/outbox.server";
import { programInForce } from "../../program/versions.server";
import { REDEMPTION_TRANSACTION, snapshotOf, type RewardIssuedSource } from "./hold.server";

// The two ends of a held redemption, each one transaction guarded by `state = 'held'`: whichever
// runs first wins and the other changes nothing, so a request and the sweeper racing on the same
// redemption still end in exactly one outcome.

/**
 * held → issued with its reward.issued event (and, for store credit, store_credit.credited with
 * Shopify's balance, which the member's mirror takes: ADR 0030). False when no longer held.
 */
export async function markIssued(
  redemption: Redemption,
  shopifyId: string | null,
  now: Date,
  creditBalanceMinor: number | null = null,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const member = await lockRedeemer(tx, redemption);
    const { count } = await tx.redemption.updateMany({
      where: { id: redemption.id, shopId: redemption.shopId, state: "held" },
      data: { state: "issued", shopifyId, issuedAt: now, failure: null },
    });
    if (count === 0) return false;
    const { config } = await programInForce(tx, redemption.shopId);
    const { definition, valueFormatted } = snapshotOf(redemption);
    await recordEvent(
      tx,
      member,
      config,
      "reward.issued",
      {
        reward_id: redemption.id,
        reward_name: definition.name,
        reward_type: catalogRewardType(definition.type),
        source: redemption.source as RewardIssuedSource,
        code: redemption.code,
        value_minor: redemption.valueMinor,
        value_percentage: redemption.valuePercentage,
        currency: redemption.valueMinor === null ? null : redemption.currency,
        value_formatted: valueFormatted,
        expires_at: redemption.expiresAt?.toISOString() ?? null,
        points_spent: redemption.pointsSpent,
      },
      now,
    );
    if (definition.type === "store_credit" && creditBalanceMinor !== null && redemption.currency) {
      await recordStoreCreditReward(tx, member, config, redemption, creditBalanceMinor, now);
    }
    return true;
  }, REDEMPTION_TRANSACTION);
}

/**
 * Ends a redemption that gives nothing (held → reverted, or issued → voided with reward.expired
 * reason voided) and returns its points with a compensating entry and points.added (source
 * reward_redemption_reverted). One idempotency key
 * for every way points come back, so they can never be returned twice. False when the
 * redemption was not in `from` any more.
 */
export async function returnPoints(
  redemption: Redemption,
  change:
    | { from: "held"; to: "reverted"; reason: string }
    | { from: "issued"; to: "voided"; reason: string },
  now: Date,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const member = await lockRedeemer(tx, redemption);
    const { count } = await tx.redemption.updateMany({
      where: { id: redemption.id, shopId: redemption.shopId, state: change.from },
      data: { state: change.to, failure: change.reason.slice(0, 2000), endedAt: now },
    });
    if (count === 0) return false;
    if (redemption.pointsSpent > 0) {
      const { config } = await programInForce(tx, redemption.shopId);
      const credit = await postEntry(tx, member, {
        kind: "redemption",
        source: "reward_redemption_reverted",
        points: redemption.pointsSpent,
        idempotencyKey: `redemption:${redemption.id}:returned`,
        detail: { redemptionId: redemption.id, reason: change.reason.slice(0, 500) },
      });
      if (credit.status === "posted") {
        await recordEvent(
          tx,
          credit.member,
          config,
          "points.added",
          {
            points: redemption.pointsSpent,
            source: "reward_redemption_reverted",
            order_id: null,
            order_name: null,
            note: snapshotOf(redemption).definition.name,
          },
          now,
        );
      }
    }
    if (change.to === "voided" && redemption.code) {
      const { config } = await programInForce(tx, redemption.shopId);
      const { definition } = snapshotOf(redemption);
      const latest = await tx.member.findUniqueOrThrow({ where: { id: member.id } });
      await recordEvent(
        tx,
        latest,
        config,
        "reward.expired",
        {
          reward_id: redemption.id,
          reward_name: definition.name,
          reward_type: catalogRewardType(definition.type),
          code: redemption.code,
          reason: "voided",
        },
        now,
      );
    }
    return true;
  }, REDEMPTION_TRANSACTION);
}

/** Notes why a held redemption is waiting (for the sweeper and the admin). */
export async function noteHeld(redemption: Redemption, reason: string) {
  await prisma.redemption.updateMany({
    where: { id: redemption.id, shopId: redemption.shopId, state: "held" },
    data: { failure: reason.slice(0, 2000) },
  });
}

async function lockRedeemer(tx: Prisma.TransactionClient, redemption: Redemption) {
  const { customerId } = await tx.member.findUniqueOrThrow({
    where: { id: redemption.memberId },
    select: { customerId: true },
  });
  return lockMember(tx, redemption.shopId, customerId);
}
