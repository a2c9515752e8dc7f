import type { Member, Prisma } from "@prisma/client";
import { goalBonusKey, goalsOwed } from "~/domain/goals/index";
import type { Goal, ProgramConfig } from "~/domain/program/index";
import { recordEvent } from "../events/outbox.server";
import { bonusEntriesPaid, takeBackBonus } from "../ledger/bonus-entries.server";
import { postEntry } from "../ledger/post-entry.server";
import { memberOrders, type MemberOrder } from "../tiers/facts.server";
import { reconcileTierAfterBonus } from "../tiers/evaluate.server";

/**
 * Brings the member's goal bonuses (issue #23) in line with their order facts, as tier entry
 * bonuses are (ADR 0054): what the facts owe each goal of the program (its points once if reached)
 * is compared with what the ledger holds for it, on the member and the customers merged into it,
 * and the difference is posted. So any arrival order of the same facts, and any redelivery, ends
 * with the same goal bonuses. Called after every order fact (paid, edited, refunded, cancelled)
 * and merge, under the member lock, in the fact's transaction. A goal no longer in the program is
 * left as it was paid.
 */
export async function reconcileGoals(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  now: Date,
): Promise<Member> {
  // A program without goals (the common case) reads nothing.
  if (config.goals.length === 0) return member;
  const orders = await memberOrders(tx, member, new Date(0));
  const owed = goalsOwed(
    config.goals,
    orders.map((o) => o.spend),
    now,
  );
  const paid = await bonusEntriesPaid(tx, member, "goal");
  let current = member;
  let posted = false;
  for (const goal of config.goals) {
    const due = owed.find((o) => o.goalId === goal.id)!;
    const already = paid.get(goal.id);
    const delta = due.points - (already?.points ?? 0);
    if (delta === 0) continue;
    const first = goalBonusKey(member.id, goal.id);
    const key = already ? `${first}:${already.entries}` : first;
    const before = current;
    current =
      delta > 0
        ? await creditGoal(tx, current, config, {
            goal,
            delta,
            key,
            reachedBy: due.reachedBy,
            orders,
            now,
          })
        : await takeBackGoal(tx, current, config, { goal, delta, key, orders, now });
    posted ||= current !== before;
  }
  // A bonus counts towards lifetime points: a tier measured in them follows at once.
  return posted ? reconcileTierAfterBonus(tx, current, config, now) : current;
}

/**
 * What the merchant and the shopper read for a goal ("3rd order", "Spend goal"); the history
 * import's pages write it too (ADR 0074).
 */
export function goalNote(goal: Goal): string {
  return goal.kind === "order_count" ? `Goal reached: order ${goal.count}` : "Goal reached: spend";
}

async function creditGoal(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  change: {
    goal: Goal;
    delta: number;
    key: string;
    reachedBy: string | null;
    orders: MemberOrder[];
    now: Date;
  },
): Promise<Member> {
  const { goal, delta, reachedBy } = change;
  const result = await postEntry(tx, member, {
    kind: "bonus",
    source: "goal",
    points: delta,
    idempotencyKey: change.key,
    detail: { goalId: goal.id, reachedBy },
    now: change.now,
  });
  if (result.status !== "posted") return member;
  const order = change.orders.find((o) => o.spend.orderId === reachedBy);
  await recordEvent(tx, result.member, config, "points.added", {
    points: delta,
    source: "goal",
    order_id: reachedBy,
    order_name: order?.name ?? null,
    note: goalNote(goal),
  });
  return result.member;
}

/**
 * A bonus the facts no longer owe goes back (takeBackBonus), naming the order whose refund or
 * cancellation undid the goal. A surplus nothing given back explains (a merge of two customers
 * who had each reached it, an edit that took goods away) goes back as `goal`, with no order.
 */
function takeBackGoal(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  change: { goal: Goal; delta: number; key: string; orders: MemberOrder[]; now: Date },
): Promise<Member> {
  const { goal, orders, now } = change;
  const undone = reachedWithoutGivingBack(goal, orders, now) ? lastGivenBack(orders) : null;
  return takeBackBonus(tx, member, config, {
    requested: -change.delta,
    key: change.key,
    detail: { goalId: goal.id },
    ownSource: "goal",
    undone: undone && {
      cause: undone.cause,
      orderId: undone.order.spend.orderId,
      orderName: undone.order.name,
    },
    note: undone ? "Goal bonus taken back" : "Goal bonus taken back: owed once per member",
    now,
  });
}

/** Whether the member's orders with nothing given back (refunds, cancellations) reach the goal. */
function reachedWithoutGivingBack(goal: Goal, orders: MemberOrder[], now: Date): boolean {
  const kept = orders.map((o) => ({ ...o.spend, refunds: [], cancelledAt: null }));
  return goalsOwed([goal], kept, now)[0]!.points > 0;
}

/** The order most recently refunded or cancelled, as the cause of a goal bonus taken back. */
function lastGivenBack(orders: MemberOrder[]) {
  let latest: { at: Date; cause: "refund" | "cancellation"; order: MemberOrder } | null = null;
  for (const order of orders) {
    const facts = [
      ...order.spend.refunds.map((r) => ({ at: r.at, cause: "refund" as const })),
      ...(order.spend.cancelledAt
        ? [{ at: order.spend.cancelledAt, cause: "cancellation" as const }]
        : []),
    ];
    for (const fact of facts) if (!latest || fact.at > latest.at) latest = { ...fact, order };
  }
  return latest;
}
