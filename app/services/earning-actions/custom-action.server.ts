import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { shopTimeZone } from "~/domain/calendar";
import { actionKey, periodStart, type ActionPeriod } from "~/domain/earning-actions";
import { findCustomAction, type CustomAction } from "~/domain/program";
import { LoyaltyError } from "../errors";
import { recordEvent } from "../events/outbox.server";
import { postEntry } from "../ledger/post-entry.server";
import { lockActiveMember } from "../members/repository.server";
import { programInForce } from "../program/versions.server";
import { reconcileTierAfterBonus } from "../tiers/evaluate.server";

// Flow's "Add points for a custom action" (issue #23, ADR 0072): points for something the merchant
// set up in Settings > Bonuses & birthdays ("Leave a product review"), which the Flow run names.
// Settings holds its points and its limit (at most N credits per member in each period of the
// shop's calendar). The count and the credit happen under the member's row lock, so of two runs
// at the limit one wins.

export interface CustomActionCredit {
  shopId: string;
  customerId: bigint;
  /** The action as the Flow run names it; matched to Settings with case and spaces ignored. */
  actionName: string;
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
    const { config } = await programInForce(tx, credit.shopId);
    const action = switchedOn(config.customActions, credit.actionName);
    const key = actionKey(action.name);
    if (action.limit !== null) {
      const shop = await tx.shop.findUniqueOrThrow({
        where: { id: credit.shopId },
        select: { timeZone: true },
      });
      const since = periodStart(action.period, now, shopTimeZone(shop.timeZone));
      const used = await creditsSince(tx, credit.shopId, member.id, key, since);
      if (used >= action.limit) {
        throw new LoyaltyError(
          "limit_reached",
          `No points added: “${action.name}” already earned points ${used} ` +
            `time${used === 1 ? "" : "s"} ${PERIOD_WORDS[action.period]}, the limit per member`,
        );
      }
    }
    const posted = await postEntry(tx, member, {
      // A bonus, as campaign points: lifetime points, activity, and a lot that expires.
      kind: "bonus",
      source: "custom_action",
      points: action.points,
      idempotencyKey: credit.idempotencyKey,
      // The name as Settings spells it, what the member's history and the event show.
      detail: { action: action.name, actionKey: key, note: action.name },
      now,
    });
    if (posted.status !== "posted") return { applied: false, balance: member.pointsBalance };
    const after = await reconcileTierAfterBonus(tx, posted.member, config, now);
    await recordEvent(tx, after, config, "points.added", {
      points: action.points,
      source: "custom_action",
      order_id: null,
      order_name: null,
      note: action.name,
    });
    return { applied: true, balance: after.pointsBalance };
  });
}

const WHERE = "in the loyalty app's Settings > Bonuses & birthdays";

/**
 * The custom action the run names, if Settings has it switched on; otherwise a final 422 Flow
 * shows the merchant, in a sentence naming the action (nothing is written).
 */
function switchedOn(actions: readonly CustomAction[], name: string): CustomAction {
  const action = findCustomAction(actions, name);
  if (!action) {
    const on = actions.filter((a) => a.points > 0).map((a) => `“${a.name}”`);
    throw new LoyaltyError(
      "invalid_input",
      `No points added: there is no custom action named “${name.trim()}” ${WHERE}. ` +
        (on.length > 0
          ? `Use the name of one switched on there: ${on.join(", ")}.`
          : "Add it there with its points, then use its name in this action."),
    );
  }
  if (action.points <= 0) {
    throw new LoyaltyError(
      "invalid_input",
      `No points added: the custom action “${action.name}” is switched off (0 points) ${WHERE}.`,
    );
  }
  return action;
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
