import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { shopTimeZone } from "~/domain/calendar";
import { actionKey, periodStart, type ActionPeriod } from "~/domain/earning-actions";
import { LoyaltyError } from "../errors";
import { recordEvent } from "../events/outbox.server";
import { postEntry } from "../ledger/post-entry.server";
import { lockActiveMember } from "../members/repository.server";
import { programInForce } from "../program/versions.server";
import { reconcileTierAfterBonus } from "../tiers/evaluate.server";

// Flow's "Add points for a custom action" (issue #23): points for something the merchant names
// ("Left a review"), at most `limit` times per member in each period of the shop's calendar. The
// count and the credit happen under the member's row lock, so of two runs at the limit one wins.

export interface CustomActionCredit {
  shopId: string;
  customerId: bigint;
  /** The merchant's label, shown in the member's history and sent as the event's note. */
  actionName: string;
  points: number;
  /** At most this many credits of the action per member and period; null = no limit. */
  limit: number | null;
  period: ActionPeriod;
  /** e.g. `flow:<action_run_id>`: a retried run applies once. */
  idempotencyKey: string;
  now?: Date;
}

export async function creditCustomAction(credit: CustomActionCredit) {
  const now = credit.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const member = await lockActiveMember(tx, credit.shopId, credit.customerId);
    // A resend of a run that already went in (its answer was lost) is that credit, not a new one.
    const done = await tx.ledgerEntry.findUnique({
      where: {
        shopId_idempotencyKey: { shopId: credit.shopId, idempotencyKey: credit.idempotencyKey },
      },
      select: { id: true },
    });
    if (done) return { applied: false, balance: member.pointsBalance };
    const key = actionKey(credit.actionName);
    if (credit.limit !== null) {
      const shop = await tx.shop.findUniqueOrThrow({
        where: { id: credit.shopId },
        select: { timeZone: true },
      });
      const since = periodStart(credit.period, now, shopTimeZone(shop.timeZone));
      const used = await creditsSince(tx, credit.shopId, member.id, key, since);
      if (used >= credit.limit) {
        throw new LoyaltyError(
          "limit_reached",
          `No points added: “${credit.actionName}” already earned points ${used} ` +
            `time${used === 1 ? "" : "s"} ${PERIOD_WORDS[credit.period]}, the limit per member`,
        );
      }
    }
    const { config } = await programInForce(tx, credit.shopId);
    const posted = await postEntry(tx, member, {
      // A bonus, as campaign points: lifetime points, activity, and a lot that expires.
      kind: "bonus",
      source: "custom_action",
      points: credit.points,
      idempotencyKey: credit.idempotencyKey,
      detail: { action: credit.actionName, actionKey: key, note: credit.actionName },
      now,
    });
    if (posted.status !== "posted") return { applied: false, balance: member.pointsBalance };
    const after = await reconcileTierAfterBonus(tx, posted.member, config, now);
    await recordEvent(tx, after, config, "points.added", {
      points: credit.points,
      source: "custom_action",
      order_id: null,
      order_name: null,
      note: credit.actionName,
    });
    return { applied: true, balance: after.pointsBalance };
  });
}

const PERIOD_WORDS: Record<ActionPeriod, string> = {
  day: "today",
  week: "this week",
  month: "this month",
  year: "this year",
  ever: "so far",
};

/** The member's credits for the action since the period began (all of them for "ever"). */
async function creditsSince(
  tx: Prisma.TransactionClient,
  shopId: string,
  memberId: string,
  key: string,
  since: Date | null,
) {
  const [row] = await tx.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM "LedgerEntry"
    WHERE "shopId" = ${shopId}::uuid AND "memberId" = ${memberId}::uuid AND source = 'custom_action' AND points > 0
      AND detail->>'actionKey' = ${key}
      AND (${since?.toISOString() ?? null}::timestamp(3) IS NULL
        OR "createdAt" >= ${since?.toISOString() ?? null}::timestamp(3))`;
  return row?.count ?? 0;
}
