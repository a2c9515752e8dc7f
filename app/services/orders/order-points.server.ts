import type { Member, Prisma } from "@prisma/client";
import {
  compareRefundIds,
  cumulativeClawback,
  earnForOrder,
  EarnSnapshotSchema,
  type EarnSnapshot,
} from "~/domain/earning/index";
import type { ProgramConfig } from "~/domain/program/index";
import { recordEvent } from "../events/outbox.server";
import { postEntry } from "../ledger/post-entry.server";
import { programVersionConfig } from "../program/versions.server";
import { firstOrderPoints, type PointsBook } from "./first-points";
import { orderKeys, type OrderToValue, type ValuingRules } from "./order-to-value";

/** What the earn entry keeps besides its snapshot, so an edit is valued with the same rules. */
interface EarnDetail {
  snapshot: unknown;
  programVersion?: number;
  orderVersion?: string | null;
}

/**
 * Brings the order's ledger entries in line with every fact known about the order (ADR 0008).
 *
 * The order's target is a function of the facts only: nothing before it is paid; once paid,
 * P − cumulativeClawback(S, refunds), where S values the newest known version of the order
 * (after edits) with the rules of the first earn and the multiplier of the tier the order was paid
 * in; 0 once cancelled. Each newly known fact posts the difference between the target and what
 * the order holds under its own key (earn, edit version, refund id, cancel, restatement), so a
 * redelivery posts nothing and any arrival order ends at the same net points. Returns the member
 * and whether this was the order's first earn.
 */
export async function reconcileOrderPoints(
  tx: Prisma.TransactionClient,
  member: Member,
  order: OrderToValue,
  rules: ValuingRules,
): Promise<{ member: Member; earnedNow: boolean }> {
  const { orderId } = order;
  const entries = await tx.$queryRaw<
    { idempotencyKey: string; points: number; detail: Prisma.JsonValue }[]
  >`
    SELECT "idempotencyKey", points, detail FROM "LedgerEntry"
    WHERE "shopId" = ${member.shopId}::uuid AND "orderId" = ${orderId}::bigint`;
  // An order's first fact: valued as the history import values its pages (ADR 0074), by one
  // implementation, so the arrival-order tests of this path hold for the import's too.
  if (entries.length === 0) return firstOrderPoints(ledgerBook(tx, rules), member, order, rules);
  const keys = orderKeys(orderId);
  const earned = entries.find((e) => e.idempotencyKey === keys.earn);
  // Every other entry of an order adds to or takes from what its earn credited, after it.
  if (!earned) throw new Error(`order ${orderId} holds ledger entries but no earn entry`);
  const posted = new Set(entries.map((e) => e.idempotencyKey));
  let net = entries.reduce((sum, e) => sum + e.points, 0);
  const context = { orderId, orderName: order.orderName, config: rules.config, now: rules.now };

  const earnDetail = earned.detail as unknown as EarnDetail;
  let valued = await valuedAsPosted(tx, member.shopId, earnDetail, order);
  const restated = latestRestatement(entries, keys);
  if (restated && valued.rules) valued = value(order, valued.rules, restated);

  const sorted = [...order.refunds].sort((a, b) => compareRefundIds(a.refundId, b.refundId));
  const applied = sorted.filter((r) => posted.has(keys.refund(r.refundId)));
  const cancelled = posted.has(keys.cancel);
  const target = (snapshot: EarnSnapshot) =>
    cancelled ? 0 : Math.max(0, snapshot.points - cumulativeClawback(snapshot, applied));

  const editKey = order.orderVersion && keys.edit(order.orderVersion);
  if (editKey && !posted.has(editKey)) {
    const delta = target(valued.snapshot) - net;
    if (delta > 0) {
      const detail = { snapshot: valued.snapshot, orderVersion: order.orderVersion, edit: true };
      member = await credit(tx, member, delta, editKey, detail, context);
      net += delta;
    } else if (delta < 0) {
      const result = await debit(tx, member, -delta, editKey, "order_refund", context, {
        orderVersion: order.orderVersion,
      });
      member = result.member;
      net -= result.taken;
    }
  }
  for (const refund of sorted) {
    const key = keys.refund(refund.refundId);
    if (posted.has(key)) continue;
    applied.push(refund);
    const points = net - target(valued.snapshot);
    if (points > 0) {
      const dated = { ...context, occurredAt: order.datedAt?.refunds.get(refund.refundId) };
      const result = await debit(tx, member, points, key, "order_refund", dated, {
        refundId: refund.refundId,
      });
      member = result.member;
      net -= result.taken;
    }
  }
  if (order.cancelled && !cancelled && net > 0) {
    member = (await debit(tx, member, net, keys.cancel, "order_cancelled", context, {})).member;
    return { member, earnedNow: false };
  }

  // The tier the order was paid in changed (a late order or refund from before it): the order
  // is valued again with that tier's multiplier, the difference posted as a restatement.
  const multiplier = valued.rules ? rules.multiplierFor(valued.rules) : undefined;
  if (multiplier !== undefined && multiplier !== valued.snapshot.multiplier && valued.rules) {
    const restated = value(order, valued.rules, multiplier);
    const delta = target(restated.snapshot) - target(valued.snapshot);
    const restatements = entries.filter((e) => e.idempotencyKey.startsWith(keys.restatePrefix));
    const key = keys.restate(restatements.length + 1);
    if (delta > 0) {
      const detail = { multiplier, snapshot: restated.snapshot };
      member = await credit(tx, member, delta, key, detail, context);
    } else if (delta < 0) {
      const detail = { multiplier: String(multiplier) };
      member = (await debit(tx, member, -delta, key, "order_refund", context, detail)).member;
    }
  }
  return { member, earnedNow: false };
}

/** An order's value: its snapshot, and the rules it was valued with (unknown for old entries). */
interface Valued {
  snapshot: EarnSnapshot;
  rules: ProgramConfig | null;
}

function value(order: OrderToValue, rules: ProgramConfig, multiplier: number): Valued {
  return { snapshot: earnForOrder(order.earning, rules, multiplier).snapshot, rules };
}

/**
 * The order as it stands now, valued with the rules of its earn entry: the newest stored version
 * recomputed with the program version and multiplier the earn used, so a later program change
 * never revalues it (an unedited order recomputes to the earn snapshot itself). Entries written
 * before edits were supported name no program version; their snapshot is used as is.
 */
async function valuedAsPosted(
  tx: Prisma.TransactionClient,
  shopId: string,
  detail: EarnDetail,
  order: OrderToValue,
): Promise<Valued> {
  const earnSnapshot = EarnSnapshotSchema.parse(detail.snapshot);
  if (detail.programVersion === undefined) return { snapshot: earnSnapshot, rules: null };
  const rules = await programVersionConfig(tx, shopId, detail.programVersion);
  return value(order, rules, earnSnapshot.multiplier);
}

/** The multiplier of the newest restatement, when the order was valued again. */
function latestRestatement(
  entries: { idempotencyKey: string; detail: Prisma.JsonValue }[],
  keys: ReturnType<typeof orderKeys>,
): number | null {
  let newest: { n: number; multiplier: number } | null = null;
  for (const entry of entries) {
    if (!entry.idempotencyKey.startsWith(keys.restatePrefix)) continue;
    const n = Number(entry.idempotencyKey.slice(keys.restatePrefix.length));
    const multiplier = Number((entry.detail as { multiplier?: unknown } | null)?.multiplier);
    if (Number.isFinite(multiplier) && (!newest || n > newest.n)) newest = { n, multiplier };
  }
  return newest?.multiplier ?? null;
}

/** Where the first facts of a live order go: each entry and event written as it comes. */
function ledgerBook(tx: Prisma.TransactionClient, rules: ValuingRules): PointsBook {
  return {
    async post(member, input) {
      const result = await postEntry(tx, member, input);
      return result.status === "posted"
        ? { posted: true, member: result.member }
        : { posted: false };
    },
    record: (member, type, payload, occurredAt) =>
      recordEvent(tx, member, rules.config, type, payload, occurredAt),
  };
}

interface OrderContext {
  orderId: bigint;
  orderName: string | null;
  config: ProgramConfig;
  now: Date;
  /** When the fact happened, if not now (imported history). */
  occurredAt?: Date;
}

async function credit(
  tx: Prisma.TransactionClient,
  member: Member,
  points: number,
  key: string,
  detail: Record<string, unknown>,
  context: OrderContext,
) {
  const result = await postEntry(tx, member, {
    kind: "earn",
    source: "purchase",
    points,
    idempotencyKey: key,
    orderId: context.orderId,
    detail: detail as Prisma.InputJsonValue,
    now: context.now,
    occurredAt: context.occurredAt,
  });
  if (result.status !== "posted") return member;
  await recordEvent(
    tx,
    result.member,
    context.config,
    "points.added",
    {
      points,
      source: "purchase",
      order_id: context.orderId.toString(),
      order_name: context.orderName,
      note: null,
    },
    context.occurredAt,
  );
  return result.member;
}

/**
 * Takes back up to `points`. Without the merchant's negative-balance setting a debit stops at the
 * available balance and records the shortfall; a later fact of the order takes it with its own.
 */
async function debit(
  tx: Prisma.TransactionClient,
  member: Member,
  points: number,
  key: string,
  source: "order_refund" | "order_cancelled",
  context: OrderContext,
  detail: Record<string, string | null>,
) {
  const allowNegative = context.config.refunds.allowNegativeBalance;
  const taken = allowNegative ? points : Math.min(points, Math.max(member.pointsBalance, 0));
  if (taken === 0) return { member, taken: 0 };
  const result = await postEntry(tx, member, {
    kind: source === "order_cancelled" ? "reversal" : "clawback",
    source,
    points: -taken,
    idempotencyKey: key,
    orderId: context.orderId,
    allowNegative,
    detail: { ...detail, requested: points, shortfall: points - taken },
    now: context.now,
    occurredAt: context.occurredAt,
  });
  if (result.status !== "posted") return { member, taken: 0 };
  await recordEvent(
    tx,
    result.member,
    context.config,
    "points.subtracted",
    {
      points: taken,
      source,
      order_id: context.orderId.toString(),
      order_name: context.orderName,
      note: null,
    },
    context.occurredAt,
  );
  return { member: result.member, taken };
}
