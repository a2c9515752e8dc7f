import type { Member } from "@prisma/client";
import type { LoyaltyEventType, PayloadOf } from "~/domain/events/index";
import {
  compareRefundIds,
  cumulativeClawback,
  earnForOrder,
  type EarnSnapshot,
  type RefundForClawback,
} from "~/domain/earning/index";
import type { EntryInput } from "../ledger/post-entry.server";
import { orderKeys, type OrderToValue, type ValuingRules } from "./order-to-value";

type Posted = { posted: true; member: Member } | { posted: false };

/**
 * Where entries and events go: written as they come (reconcileOrderPoints, postEntry and
 * recordEvent), or kept to be written together (the history import's PageLedger).
 */
export interface PointsBook {
  post(member: Member, input: EntryInput): Posted | Promise<Posted>;
  record<T extends LoyaltyEventType>(
    member: Member,
    type: T,
    payload: PayloadOf<T>,
    occurredAt?: Date,
  ): void | Promise<unknown>;
}

/**
 * The points of an order that holds no ledger entry yet, posted to `book`: its earn with the
 * multiplier of the tier it was paid in, its refunds and cancellation taken back, a restatement
 * if the tier's multiplier in the rules differs. reconcileOrderPoints calls it for a live order's
 * first fact, the history import's pages for every order they value (ADR 0074): one
 * implementation, held by the engine's arrival-order tests. The branches that need entries
 * already posted (an edit, a refund or cancellation already taken, a restatement after another)
 * are reconcileOrderPoints' own.
 */
export async function firstOrderPoints(
  book: PointsBook,
  member: Member,
  order: OrderToValue,
  rules: ValuingRules,
): Promise<{ member: Member; earnedNow: boolean }> {
  if (!order.earnsPoints) return { member, earnedNow: false };
  const keys = orderKeys(order.orderId);
  const context = { order, config: rules.config, now: rules.now };
  const value = (multiplier: number) =>
    earnForOrder(order.earning, rules.config, multiplier).snapshot;
  const snapshot = value(rules.multiplierFor(rules.config) ?? 1);
  if (snapshot.points === 0) return { member, earnedNow: false };
  const detail = {
    snapshot,
    programVersion: rules.version,
    orderVersion: order.orderVersion,
  };
  let current = await credit(book, member, snapshot.points, keys.earn, detail, {
    ...context,
    occurredAt: order.datedAt?.paid,
  });
  let net = snapshot.points;

  const sorted = [...order.refunds].sort((a, b) => compareRefundIds(a.refundId, b.refundId));
  const applied: RefundForClawback[] = [];
  const target = (valued: EarnSnapshot) =>
    Math.max(0, valued.points - cumulativeClawback(valued, applied));
  for (const refund of sorted) {
    applied.push(refund);
    const points = net - target(snapshot);
    if (points > 0) {
      const dated = { ...context, occurredAt: order.datedAt?.refunds.get(refund.refundId) };
      const key = keys.refund(refund.refundId);
      const result = await debit(book, current, points, key, "order_refund", {
        context: dated,
        detail: { refundId: refund.refundId },
      });
      current = result.member;
      net -= result.taken;
    }
  }
  if (order.cancelled && net > 0) {
    const result = await debit(book, current, net, keys.cancel, "order_cancelled", {
      context,
      detail: {},
    });
    return { member: result.member, earnedNow: true };
  }
  const multiplier = rules.multiplierFor(rules.config);
  if (multiplier !== undefined && multiplier !== snapshot.multiplier) {
    const restated = value(multiplier);
    const delta = target(restated) - target(snapshot);
    const key = keys.restate(1);
    if (delta > 0) {
      const detail = { multiplier, snapshot: restated };
      current = await credit(book, current, delta, key, detail, context);
    } else if (delta < 0) {
      current = (
        await debit(book, current, -delta, key, "order_refund", {
          context,
          detail: { multiplier: String(multiplier) },
        })
      ).member;
    }
  }
  return { member: current, earnedNow: true };
}

interface Context {
  order: OrderToValue;
  config: ValuingRules["config"];
  now: Date;
  occurredAt?: Date;
}

async function credit(
  book: PointsBook,
  member: Member,
  points: number,
  key: string,
  detail: Record<string, unknown>,
  context: Context,
): Promise<Member> {
  const result = await book.post(member, {
    kind: "earn",
    source: "purchase",
    points,
    idempotencyKey: key,
    orderId: context.order.orderId,
    detail: detail as EntryInput["detail"],
    now: context.now,
    occurredAt: context.occurredAt,
  });
  if (!result.posted) return member;
  await book.record(
    result.member,
    "points.added",
    {
      points,
      source: "purchase",
      order_id: context.order.orderId.toString(),
      order_name: context.order.orderName,
      note: null,
    },
    context.occurredAt,
  );
  return result.member;
}

async function debit(
  book: PointsBook,
  member: Member,
  points: number,
  key: string,
  source: "order_refund" | "order_cancelled",
  { context, detail }: { context: Context; detail: Record<string, string | null> },
): Promise<{ member: Member; taken: number }> {
  const allowNegative = context.config.refunds.allowNegativeBalance;
  const taken = allowNegative ? points : Math.min(points, Math.max(member.pointsBalance, 0));
  if (taken === 0) return { member, taken: 0 };
  const result = await book.post(member, {
    kind: source === "order_cancelled" ? "reversal" : "clawback",
    source,
    points: -taken,
    idempotencyKey: key,
    orderId: context.order.orderId,
    allowNegative,
    detail: { ...detail, requested: points, shortfall: points - taken },
    now: context.now,
    occurredAt: context.occurredAt,
  });
  if (!result.posted) return { member, taken: 0 };
  await book.record(
    result.member,
    "points.subtracted",
    {
      points: taken,
      source,
      order_id: context.order.orderId.toString(),
      order_name: context.order.orderName,
      note: null,
    },
    context.occurredAt,
  );
  return { member: result.member, taken };
}
