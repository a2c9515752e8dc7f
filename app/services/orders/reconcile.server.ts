import type { Member, Prisma } from "@prisma/client";
import {
  compareRefundIds,
  cumulativeClawback,
  earnForOrder,
  EarnSnapshotSchema,
  type EarnSnapshot,
  type OrderForEarning,
} from "~/domain/earning/index";
import { formatIsoDate, localDate } from "~/domain/calendar/index";
import { pendingReleaseDate } from "~/domain/pending/index";
import type { ProgramConfig } from "~/domain/program/index";
import { refundForClawback, type RefundFacts } from "~/services/orders/payloads";
import { survivor } from "../members/merge.server";
import { postEntry } from "../ledger/post-entry.server";
import { shopTimeZone } from "~/domain/calendar";
import { ensureMember } from "../members/repository.server";
import { recordEvent } from "../events/outbox.server";
import { refreshPendingPoints } from "../ledger/pending.server";
import {
  programInForce,
  programVersionConfig,
  type ProgramInForce,
} from "../program/versions.server";
import type { HandlerOutcome } from "../webhooks/stored-delivery";
import { reevaluateTier } from "../tiers/evaluate.server";

/** What OrderRecord.order holds: the normalised order and the contact it came with. */
export interface StoredOrder {
  earning: OrderForEarning;
  /** The lines' collections were read (ADR 0044): later versions keep them for these lines. */
  collectionsRead?: boolean;
  name: string | null;
  customer: {
    email: string | null;
    phone: string | null;
    firstName: string | null;
    lastName: string | null;
  };
}

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
 * (after edits) with the rules of the first earn; 0 once cancelled. Each newly known fact posts
 * the difference between the target and what the order holds under its own key (earn, edit
 * version, refund id, cancel), so a redelivery posts nothing and any arrival order ends at the same
 * net points.
 */
export async function reconcileOrder(
  tx: Prisma.TransactionClient,
  shopId: string,
  orderId: bigint,
  now = new Date(),
  /** The program in force, when the caller has already read it in this transaction. */
  program?: ProgramInForce,
): Promise<HandlerOutcome> {
  // One raw read on the hot path (every order): the order with its refunds (no query compilation,
  // ADR 0034; one round trip, ADR 0037). Refund ids travel as text. The ledger entries are read
  // after the member lock below, so a concurrent delivery of the same order is seen.
  const [record] = await tx.$queryRaw<
    {
      order: Prisma.JsonValue;
      paidAt: Date | null;
      customerId: bigint | null;
      currency: string | null;
      name: string | null;
      orderVersion: Date | null;
      cancelledAt: Date | null;
      timeZone: string | null;
      refunds: { refundId: string; lines: Prisma.JsonValue; amount: string }[];
    }[]
  >`
    SELECT o."order", o."paidAt", o."customerId", o.currency, o.name, o."orderVersion",
      o."cancelledAt", s."timeZone",
      COALESCE((SELECT jsonb_agg(jsonb_build_object('refundId', r."refundId"::text,
          'lines', r.lines, 'amount', r.amount))
        FROM "RefundRecord" r
        WHERE r."shopId" = o."shopId" AND r."orderId" = o."orderId"), '[]'::jsonb) AS refunds
    FROM "OrderRecord" o JOIN "Shop" s ON s.id = o."shopId"
    WHERE o."shopId" = ${shopId}::uuid AND o."orderId" = ${orderId}::bigint`;
  // Not paid yet (an edit or refund came first), or a guest order.
  if (!record?.order || !record.paidAt || !record.customerId || !record.currency) return "ignored";
  const storedRefunds = record.refunds;
  const stored = record.order as unknown as StoredOrder;
  const { config, version: programVersion } = program ?? (await programInForce(tx, shopId));
  // ensureMember returns the member row locked FOR UPDATE.
  const ensured = await ensureMember(tx, shopId, {
    customerId: record.customerId,
    ...stored.customer,
  });
  // An order of a customer Shopify merged away earns for (and is clawed back from) the survivor.
  let member = await survivor(tx, ensured.member);
  const context = { orderId, orderName: record.name, config, now };
  const orderVersion = record.orderVersion?.toISOString() ?? null;
  const timeZone = shopTimeZone(record.timeZone);
  const today = localDate(now, timeZone);

  const entries = await tx.$queryRaw<
    { idempotencyKey: string; points: number; detail: Prisma.JsonValue }[]
  >`
    SELECT "idempotencyKey", points, detail FROM "LedgerEntry"
    WHERE "shopId" = ${shopId}::uuid AND "orderId" = ${orderId}::bigint`;
  const keys = orderKeys(orderId);
  const posted = new Set(entries.map((e) => e.idempotencyKey));
  let net = entries.reduce((sum, e) => sum + e.points, 0);
  const earned = entries.find((e) => e.idempotencyKey === keys.earn);

  let current: EarnSnapshot;
  if (earned) {
    current = await currentSnapshot(tx, shopId, earned.detail as unknown as EarnDetail, stored);
  } else {
    const multiplier = config.tiers.find((t) => t.id === member.tierId)?.earnMultiplier ?? 1;
    current = earnForOrder(stored.earning, config, multiplier).snapshot;
    if (current.points === 0) return "ignored";
    const detail = { snapshot: current, programVersion, orderVersion };
    member = await credit(tx, member, current.points, keys.earn, "earn", detail, context);
    net += current.points;
    const pointsReleaseOn = pendingReleaseDate(today, config.pending.days);
    if (pointsReleaseOn) {
      await tx.orderRecord.update({
        where: { shopId_orderId: { shopId, orderId } },
        data: { pointsReleaseOn },
      });
    }
  }

  const refunds = storedRefunds
    .map((r) =>
      refundForClawback(
        r.refundId,
        { lines: r.lines as RefundFacts["lines"], amounts: JSON.parse(r.amount) as string[] },
        record.currency!,
      ),
    )
    .sort((a, b) => compareRefundIds(a.refundId, b.refundId));
  const applied = refunds.filter((r) => posted.has(keys.refund(r.refundId)));
  const cancelled = posted.has(keys.cancel);
  const target = () =>
    cancelled ? 0 : Math.max(0, current.points - cumulativeClawback(current, applied));

  const editKey = orderVersion && keys.edit(orderVersion);
  if (earned && editKey && !posted.has(editKey)) {
    const delta = target() - net;
    if (delta > 0) {
      const detail = { snapshot: current, orderVersion, edit: true };
      member = await credit(tx, member, delta, editKey, "earn", detail, context);
      net += delta;
    } else if (delta < 0) {
      const result = await debit(tx, member, -delta, editKey, "order_refund", context, {
        orderVersion,
      });
      member = result.member;
      net -= result.taken;
    }
  }
  for (const refund of refunds) {
    const key = keys.refund(refund.refundId);
    if (posted.has(key)) continue;
    applied.push(refund);
    const points = net - target();
    if (points > 0) {
      const result = await debit(tx, member, points, key, "order_refund", context, {
        refundId: refund.refundId,
      });
      member = result.member;
      net -= result.taken;
    }
  }
  if (record.cancelledAt && !cancelled && net > 0) {
    member = (await debit(tx, member, net, keys.cancel, "order_cancelled", context, {})).member;
  }
  if (config.pending.days > 0 || member.pendingPoints > 0) {
    member = await refreshPendingPoints(tx, member, formatIsoDate(today), now);
  }
  // Spend changed: tiers upgrade at once (and entry bonuses follow); downgrades wait for period end.
  await reevaluateTier(tx, member, config, timeZone, now);
  return "applied";
}

function orderKeys(orderId: bigint) {
  return {
    earn: `order:${orderId}:earn`,
    edit: (version: string) => `order:${orderId}:edit:${version}`,
    refund: (refundId: string) => `order:${orderId}:refund:${refundId}`,
    cancel: `order:${orderId}:cancel`,
  };
}

/**
 * The order as it stands now, valued with the rules of its earn entry: the newest stored version
 * recomputed with the program version and tier multiplier the earn used, so a later program change
 * never revalues it (an unedited order recomputes to the earn snapshot itself). Entries written
 * before edits were supported name no program version; their snapshot is used as is.
 */
async function currentSnapshot(
  tx: Prisma.TransactionClient,
  shopId: string,
  detail: EarnDetail,
  stored: StoredOrder,
): Promise<EarnSnapshot> {
  const earnSnapshot = EarnSnapshotSchema.parse(detail.snapshot);
  if (detail.programVersion === undefined) return earnSnapshot;
  const rules = await programVersionConfig(tx, shopId, detail.programVersion);
  return earnForOrder(stored.earning, rules, earnSnapshot.multiplier).snapshot;
}

interface OrderContext {
  orderId: bigint;
  orderName: string | null;
  config: ProgramConfig;
  now: Date;
}

async function credit(
  tx: Prisma.TransactionClient,
  member: Member,
  points: number,
  key: string,
  kind: "earn",
  detail: Record<string, unknown>,
  context: OrderContext,
) {
  const result = await postEntry(tx, member, {
    kind,
    source: "purchase",
    points,
    idempotencyKey: key,
    orderId: context.orderId,
    detail: detail as Prisma.InputJsonValue,
    now: context.now,
  });
  if (result.status !== "posted") return member;
  await recordEvent(tx, result.member, context.config, "points.added", {
    points,
    source: "purchase",
    order_id: context.orderId.toString(),
    order_name: context.orderName,
    note: null,
  });
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
  });
  if (result.status !== "posted") return { member, taken: 0 };
  await recordEvent(tx, result.member, context.config, "points.subtracted", {
    points: taken,
    source,
    order_id: context.orderId.toString(),
    order_name: context.orderName,
    note: null,
  });
  return { member: result.member, taken };
}
