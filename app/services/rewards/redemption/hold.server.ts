import { randomUUID } from "node:crypto";
import type { Prisma, Redemption } from "@prisma/client";
import prisma from "~/db.server";
import type { REWARD_ISSUED_SOURCES } from "~/domain/events/reward-events";
import {
  isDiscountReward,
  quoteRedemption,
  rewardCode,
  RewardRuleError,
  type RewardDefinition,
} from "~/domain/rewards/index";
import { LoyaltyError } from "../../errors";
import { postEntry } from "../../ledger/post-entry.server";
import { lockActiveMember } from "../../members/repository.server";
import { recordEvent } from "../../events/outbox.server";
import { programInForce } from "../../program/versions.server";
import { findReward } from "../catalog.server";

export type RewardIssuedSource = (typeof REWARD_ISSUED_SOURCES)[number];

export interface RedemptionRequest {
  shopId: string;
  customerId: bigint;
  reward: { id: string } | { handle: string };
  /** Pay-with-points only: how many points the shopper spends. */
  points?: number | null;
  /** Unique per shop and request: a retry with the same key is the same redemption. */
  requestKey: string;
  /** points_redemption spends points; any other source grants the reward without points. */
  source: RewardIssuedSource;
}

/** What the redemption row keeps of the catalog reward when it was redeemed. */
export interface RewardSnapshot {
  definition: RewardDefinition;
  valueFormatted: string;
}

/** Redemptions that count against a reward's per-member limit. */
export const HOLDING_STATES = ["held", "issued", "used"];

/**
 * Step 1 of a redemption, one transaction: validate, write the redemption row (state held) and
 * debit its points. The member row lock serialises a member's redemptions, and postEntry refuses
 * an overdraft, so concurrent requests can never spend the same points twice. `fresh` is false
 * when this request key was seen before (a retry): nothing is held again.
 */
export async function holdRedemption(
  request: RedemptionRequest,
  now: Date,
): Promise<{ redemption: Redemption; fresh: boolean }> {
  return prisma.$transaction(async (tx) => {
    const { shopId } = request;
    const member = await lockActiveMember(tx, shopId, request.customerId);
    const previous = await findByRequestKey(tx, shopId, request.requestKey);
    if (previous) return { redemption: sameMember(previous, member.id), fresh: false };
    const { id: rewardId, definition } = await findReward(tx, shopId, request.reward);
    const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
    const holding =
      definition.limitPerMember === null
        ? 0
        : await tx.redemption.count({
            where: { shopId, memberId: member.id, rewardId, state: { in: HOLDING_STATES } },
          });
    const quote = quoteOrExplain(() =>
      quoteRedemption(
        definition,
        { pointsBalance: member.pointsBalance, tierId: member.tierId, heldOfThisReward: holding },
        {
          points: request.points,
          grant: request.source !== "points_redemption",
          currency: shop.currency,
        },
        now,
      ),
    );
    const id = randomUUID();
    const snapshot: RewardSnapshot = { definition, valueFormatted: quote.valueFormatted };
    const { count } = await tx.redemption.createMany({
      data: {
        id,
        shopId,
        memberId: member.id,
        rewardId,
        requestKey: request.requestKey,
        state: "held",
        source: request.source,
        pointsSpent: quote.pointsCost,
        rewardSnapshot: snapshot as unknown as Prisma.InputJsonValue,
        code: codeFor(id, definition),
        valueMinor: quote.valueMinor,
        valuePercentage: quote.valuePercentage,
        currency: shop.currency,
        expiresAt: quote.expiresAt,
      },
      skipDuplicates: true,
    });
    if (count === 0) {
      const raced = await findByRequestKey(tx, shopId, request.requestKey);
      if (!raced) throw new Error(`redemption ${request.requestKey} vanished`);
      return { redemption: sameMember(raced, member.id), fresh: false };
    }
    if (quote.pointsCost > 0) {
      const { config } = await programInForce(tx, shopId);
      const debit = await postEntry(tx, member, {
        kind: "redemption",
        source: "reward_redemption",
        points: -quote.pointsCost,
        idempotencyKey: `redemption:${id}:hold`,
        detail: { redemptionId: id, reward: definition.handle },
      });
      if (debit.status === "insufficient") {
        throw new LoyaltyError(
          "insufficient_points",
          `The reward needs ${quote.pointsCost} points; the member has ${debit.available}`,
        );
      }
      if (debit.status === "posted") {
        await recordEvent(
          tx,
          debit.member,
          config,
          "points.subtracted",
          {
            points: quote.pointsCost,
            source: "reward_redemption",
            order_id: null,
            order_name: null,
            note: definition.name,
          },
          now,
        );
      }
    }
    return { redemption: await tx.redemption.findUniqueOrThrow({ where: { id } }), fresh: true };
  }, REDEMPTION_TRANSACTION);
}

/**
 * A burst of redemptions by one member queues on the member's row lock (and on the connection
 * pool): Prisma's defaults (2 s to get a connection, 5 s per transaction) would turn that queue
 * into errors, when each request deserves a real answer (issued, or too few points). The commit
 * and the revert queue behind the same lock, so they use the same limits.
 */
export const REDEMPTION_TRANSACTION = { maxWait: 30_000, timeout: 30_000 };

function codeFor(id: string, definition: RewardDefinition): string | null {
  if (isDiscountReward(definition)) return rewardCode(id, "discount");
  if (definition.type === "custom") return rewardCode(id, "custom");
  return definition.type === "gift_card" ? rewardCode(id, "gift_card") : null;
}

function findByRequestKey(tx: Prisma.TransactionClient, shopId: string, requestKey: string) {
  return tx.redemption.findUnique({ where: { shopId_requestKey: { shopId, requestKey } } });
}

/** A request key is the caller's; reusing another member's key must not reveal that redemption. */
function sameMember(redemption: Redemption, memberId: string): Redemption {
  if (redemption.memberId !== memberId) {
    throw new LoyaltyError("invalid_input", "This request id was already used");
  }
  return redemption;
}

function quoteOrExplain<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RewardRuleError) throw new LoyaltyError(error.code, error.message);
    throw error;
  }
}

export function snapshotOf(redemption: Redemption): RewardSnapshot {
  return redemption.rewardSnapshot as unknown as RewardSnapshot;
}
