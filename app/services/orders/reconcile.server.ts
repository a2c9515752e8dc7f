import { Prisma, type Member } from "@prisma/client";
import { refundedGoodsMinor, type OrderForEarning } from "~/domain/earning/index";
import { formatIsoDate, localDate, shopTimeZone } from "~/domain/calendar";
import { pendingReleaseDate } from "~/domain/pending/index";
import type { ProgramConfig } from "~/domain/program/index";
import { refundForClawback, type RefundFacts } from "~/services/orders/payloads";
import { reconcileGoals } from "../goals/reconcile.server";
import { refreshPendingPoints } from "../ledger/pending.server";
import { survivor } from "../members/merge.server";
import { historyMode } from "../events/history.server";
import { ensureMember } from "../members/ensure.server";
import { programInForce, type ProgramInForce } from "../program/versions.server";
import {
  multiplierOf,
  applyStanding,
  deriveStanding,
  type Standing,
} from "../tiers/standing.server";
import type { HandlerOutcome } from "../webhooks/stored-delivery";
import { reconcileOrderPoints } from "./order-points.server";
import type { OrderToValue } from "./order-to-value";

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

export type StoredRefund = {
  refundId: string;
  lines: Prisma.JsonValue;
  amount: string;
  goods: number | null;
  createdAt: string;
};

/**
 * Brings the order's points, and the member's tier, in line with every fact known (ADR 0008,
 * 0054). The tier is replayed from the member's facts first: the order earns with the multiplier
 * of the tier it was paid in, other orders whose tier at payment the new fact changed are valued
 * again, and the tier, its events and entry bonuses follow. Any arrival order of the same facts
 * ends in the same points and tier.
 */
export async function reconcileOrder(
  tx: Prisma.TransactionClient,
  shopId: string,
  orderId: bigint,
  now = new Date(),
  /** The program in force, when the caller has already read it in this transaction. */
  program?: ProgramInForce,
): Promise<HandlerOutcome> {
  // The ledger entries are read after the member lock, so a concurrent delivery of the same
  // order is seen.
  const [record] = await storedOrders(tx, shopId, Prisma.sql`o."orderId" = ${orderId}::bigint`);
  // Not paid yet (an edit or refund came first), or a guest order.
  if (!record?.order || !record.paidAt || !record.customerId || !record.currency) return "ignored";
  const stored = record.order as unknown as StoredOrder;
  const { config, version } = program ?? (await programInForce(tx, shopId));
  // ensureMember returns the member row locked FOR UPDATE.
  const ensured = await ensureMember(
    tx,
    shopId,
    { customerId: record.customerId, ...stored.customer },
    { source: "order" },
  );
  // An order of a customer Shopify merged away earns for (and is clawed back from) the survivor.
  let member = await survivor(tx, ensured.member);
  const timeZone = shopTimeZone(record.timeZone);
  await storeRefundedGoods(tx, shopId, stored.earning, record.refunds, record.currency);

  const standing = await standingOf(tx, member, config, now);
  member = await valueOrder(tx, member, record, { config, version, now, standing, timeZone });
  if (standing) member = await revalueOtherOrders(tx, member, standing, orderId, config, now);
  if (config.pending.days > 0 || member.pendingPoints > 0) {
    member = await refreshPendingPoints(tx, member, formatIsoDate(localDate(now, timeZone)), now);
  }
  if (standing) member = await applyStanding(tx, member, standing, config, timeZone, now);
  // Goals follow the member's order facts, as the tier's entry bonuses do (issue #23).
  await reconcileGoals(tx, member, config, now);
  return "applied";
}

/**
 * A customer's imported orders brought in line at once (issue 18): the tier replayed once, each
 * order that earns valued with the tier it was paid in, then the tier written once: what
 * reconcileOrder does order by order, with one replay for all of them. The orders' facts (and
 * their refunds' goods) were stored by the import.
 */
export async function reconcileCustomerOrders(
  tx: Prisma.TransactionClient,
  shopId: string,
  customerId: bigint,
  program: ProgramInForce,
  now: Date,
): Promise<Member> {
  const records = await storedOrders(
    tx,
    shopId,
    Prisma.sql`o."customerId" = ${customerId}::bigint AND o."paidAt" IS NOT NULL`,
  );
  const { config, version } = program;
  const ensured = await ensureMember(tx, shopId, { customerId }, { source: "import" });
  let member = await survivor(tx, ensured.member);
  const timeZone = shopTimeZone(records[0]?.timeZone ?? null);
  const standing = await standingOf(tx, member, config, now);
  for (const record of records) {
    if (!record.earnsPoints || !record.order || !record.currency) continue;
    member = await valueOrder(tx, member, record, { config, version, now, standing, timeZone });
  }
  if (standing) member = await revalueOtherOrders(tx, member, standing, -1n, config, now);
  if (config.pending.days > 0 || member.pendingPoints > 0) {
    member = await refreshPendingPoints(tx, member, formatIsoDate(localDate(now, timeZone)), now);
  }
  if (standing) member = await applyStanding(tx, member, standing, config, timeZone, now);
  return reconcileGoals(tx, member, config, now);
}

export interface StoredOrderRow {
  orderId: bigint;
  order: Prisma.JsonValue;
  paidAt: Date | null;
  customerId: bigint | null;
  currency: string | null;
  name: string | null;
  orderVersion: Date | null;
  cancelledAt: Date | null;
  earnsPoints: boolean;
  timeZone: string | null;
  refunds: StoredRefund[];
}

/** What the history import's pages read of each order besides (ADR 0074). */
export interface PageOrderRow extends StoredOrderRow {
  paidSpendMinor: number | null;
  pointsReleaseOn: string | null;
  /** Whether any ledger entry names the order already (a webhook, an earlier run). */
  hasEntries: boolean;
}

/**
 * Stored orders with their refunds, in one raw read (the hot path: no query compilation, ADR
 * 0034; one round trip, ADR 0037). Refund ids travel as text. A history import page
 * (`importPage`) also reads what memberOrders and held points need and whether the order has
 * entries, its orders grouped by customer; the live path does not pay for those.
 */
export function storedOrders(
  tx: Prisma.TransactionClient,
  shopId: string,
  where: Prisma.Sql,
): Promise<StoredOrderRow[]>;
export function storedOrders(
  tx: Prisma.TransactionClient,
  shopId: string,
  where: Prisma.Sql,
  options: { importPage: true },
): Promise<PageOrderRow[]>;
export function storedOrders(
  tx: Prisma.TransactionClient,
  shopId: string,
  where: Prisma.Sql,
  options?: { importPage: true },
): Promise<StoredOrderRow[] | PageOrderRow[]> {
  const page = options?.importPage === true;
  const pageColumns = page
    ? Prisma.sql`o."paidSpendMinor", o."pointsReleaseOn",
      EXISTS (SELECT 1 FROM "LedgerEntry" l
        WHERE l."shopId" = o."shopId" AND l."orderId" = o."orderId") AS "hasEntries",`
    : Prisma.empty;
  const byCustomer = page ? Prisma.sql`o."customerId",` : Prisma.empty;
  return tx.$queryRaw<StoredOrderRow[] | PageOrderRow[]>`
    SELECT o."orderId", o."order", o."paidAt", o."customerId", o.currency, o.name,
      o."orderVersion", o."cancelledAt", o."earnsPoints", s."timeZone", ${pageColumns}
      COALESCE((SELECT jsonb_agg(jsonb_build_object('refundId', r."refundId"::text,
          'lines', r.lines, 'amount', r.amount, 'goods', r."goodsMinor",
          'createdAt', to_char(r."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
        FROM "RefundRecord" r
        WHERE r."shopId" = o."shopId" AND r."orderId" = o."orderId"), '[]'::jsonb) AS refunds
    FROM "OrderRecord" o JOIN "Shop" s ON s.id = o."shopId"
    WHERE o."shopId" = ${shopId}::uuid AND ${where}
    ORDER BY ${byCustomer} o."paidAt", o."orderId"`;
}

/** A stored paid order as its points need it (dated as it happened when recording history). */
export function orderToValue(record: StoredOrderRow): OrderToValue {
  const stored = record.order as unknown as StoredOrder;
  return {
    orderId: record.orderId,
    orderName: record.name,
    earning: stored.earning,
    orderVersion: record.orderVersion?.toISOString() ?? null,
    refunds: record.refunds.map((r) =>
      refundForClawback(
        r.refundId,
        { lines: r.lines as RefundFacts["lines"], amounts: JSON.parse(r.amount) as string[] },
        record.currency!,
      ),
    ),
    cancelled: record.cancelledAt !== null,
    earnsPoints: record.earnsPoints,
    // Imported history is dated as it happened: the earn on the day paid, a refund on its day.
    datedAt: historyMode()
      ? {
          paid: record.paidAt!,
          refunds: new Map(record.refunds.map((r) => [r.refundId, new Date(r.createdAt)])),
        }
      : undefined,
  };
}

/** One paid order's points with the multiplier of the tier it was paid in; pending if held. */
async function valueOrder(
  tx: Prisma.TransactionClient,
  member: Member,
  record: StoredOrderRow,
  context: {
    config: ProgramConfig;
    version: number;
    now: Date;
    standing: Standing | null;
    timeZone: string;
  },
): Promise<Member> {
  const { config, standing } = context;
  const orderId = record.orderId;
  const paidAt = record.paidAt!;
  const order = orderToValue(record);
  const result = await reconcileOrderPoints(tx, member, order, {
    config,
    version: context.version,
    now: context.now,
    // The tier the order was paid in, as the replay gives it (none: no tiers to value it with).
    multiplierFor: (rules) => (standing ? multiplierOf(standing, orderId, rules) : undefined),
  });
  if (result.earnedNow && config.pending.days > 0) {
    // Held from the day the order was paid, in the shop's calendar (not the day it arrived).
    await tx.orderRecord.update({
      where: { shopId_orderId: { shopId: member.shopId, orderId } },
      data: {
        pointsReleaseOn: pendingReleaseDate(
          localDate(paidAt, context.timeZone),
          config.pending.days,
        ),
      },
    });
  }
  return result.member;
}

/** The member's tier replay, or null for a shop without tiers (nothing to read or value). */
async function standingOf(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  now: Date,
) {
  if (config.tiers.length === 0 && member.tierId === null) return null;
  return deriveStanding(tx, member, now);
}

/**
 * Every order of the member valued again with the tier it was paid in, as the member's facts now
 * replay it, then the tier written: after a customers/merge, the merged customer's orders and the
 * kept one's share one timeline, so an order paid after the combined spend reached a tier earns
 * with that tier's multiplier, as it does when the merge arrives before the orders (ADR 0054).
 */
export async function revalueMemberOrders(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  timeZone: string,
  now: Date,
): Promise<Member> {
  const standing = await standingOf(tx, member, config, now);
  if (!standing) return member;
  const revalued = await revalueOtherOrders(tx, member, standing, -1n, config, now);
  return applyStanding(tx, revalued, standing, config, timeZone, now);
}

/**
 * Orders whose tier at payment is not the one they were valued with (a late order or refund from
 * before them moved it) are valued again; each posts its difference once (ADR 0054). The orders
 * of customers merged into the member are its orders too.
 */
async function revalueOtherOrders(
  tx: Prisma.TransactionClient,
  member: Member,
  standing: Standing,
  except: bigint,
  config: ProgramConfig,
  now: Date,
): Promise<Member> {
  const entries = await tx.$queryRaw<
    { orderId: string; idempotencyKey: string; detail: Prisma.JsonValue }[]
  >`
    SELECT "orderId"::text AS "orderId", "idempotencyKey", detail FROM "LedgerEntry"
    WHERE "shopId" = ${member.shopId}::uuid
      AND "memberId" IN (SELECT id FROM "Member" WHERE "shopId" = ${member.shopId}::uuid
        AND (id = ${member.id}::uuid OR "mergedIntoId" = ${member.id}::uuid))
      AND "orderId" IS NOT NULL AND "orderId" <> ${except}::bigint
      AND ("idempotencyKey" LIKE 'order:%:earn' OR "idempotencyKey" LIKE 'order:%:restate:%')`;
  const valuedWith = new Map<
    string,
    { multiplier: number; version: number | undefined; n: number }
  >();
  for (const entry of entries) {
    const detail = entry.detail as {
      multiplier?: unknown;
      programVersion?: number;
      snapshot?: { multiplier?: number };
    };
    const known = valuedWith.get(entry.orderId);
    if (entry.idempotencyKey.endsWith(":earn")) {
      const earned = {
        multiplier: Number(detail.snapshot?.multiplier),
        version: detail.programVersion,
        n: 0,
      };
      valuedWith.set(entry.orderId, known ? { ...known, version: earned.version } : earned);
    } else {
      const n = Number(entry.idempotencyKey.slice(entry.idempotencyKey.lastIndexOf(":") + 1));
      if (!known || n > known.n) {
        valuedWith.set(entry.orderId, {
          multiplier: Number(detail.multiplier),
          version: known?.version,
          n,
        });
      }
    }
  }
  let current = member;
  for (const other of standing.orders) {
    const valued = valuedWith.get(other.spend.orderId);
    if (!valued || valued.version === undefined) continue;
    const rules = standing.history.find((h) => h.version === valued.version)?.config;
    if (!rules) continue;
    const orderId = BigInt(other.spend.orderId);
    const derived = multiplierOf(standing, orderId, rules);
    if (derived === undefined || derived === valued.multiplier) continue;
    const order: OrderToValue = {
      orderId,
      orderName: other.name,
      earning: other.earning,
      // Its own edits are applied by its own deliveries; here only its multiplier changes.
      orderVersion: null,
      refunds: other.refunds,
      cancelled: other.spend.cancelledAt !== null,
      // It has an earn entry (that is what is revalued): it earns.
      earnsPoints: true,
    };
    ({ member: current } = await reconcileOrderPoints(tx, current, order, {
      config,
      version: valued.version,
      now,
      multiplierFor: (r) => multiplierOf(standing, orderId, r),
    }));
  }
  return current;
}

/** The refunded goods of the order's refunds, for tier spend measured in SQL (recompute). */
async function storeRefundedGoods(
  tx: Prisma.TransactionClient,
  shopId: string,
  earning: OrderForEarning,
  refunds: StoredRefund[],
  currency: string,
) {
  for (const refund of refunds) {
    const goods = refundedGoodsMinor(
      earning,
      refundForClawback(
        refund.refundId,
        {
          lines: refund.lines as RefundFacts["lines"],
          amounts: JSON.parse(refund.amount) as string[],
        },
        currency,
      ),
    );
    if (refund.goods === goods) continue;
    await tx.$executeRaw`
      UPDATE "RefundRecord" SET "goodsMinor" = ${goods}::integer
      WHERE "shopId" = ${shopId}::uuid AND "refundId" = ${BigInt(refund.refundId)}::bigint`;
  }
}
