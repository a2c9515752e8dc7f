import { Prisma, type Member } from "@prisma/client";
import { formatIsoDate, localDate, shopTimeZone } from "~/domain/calendar";
import { goalBonusKey, goalsOwed } from "~/domain/goals/index";
import { heldPoints, pendingReleaseDate } from "~/domain/pending/index";
import type { Goal } from "~/domain/program/index";
import { tierEntryBonusKey } from "~/domain/tiers";
import type { OrderForEarning } from "~/domain/earning/index";
import { queueRewardGrant } from "~/jobs/queues/send.server";
import { goalNote } from "../goals/reconcile.server";
import { MEMBER_COLUMNS } from "../members/repository.server";
import { firstOrderPoints } from "../orders/first-points";
import type { RefundFacts } from "../orders/payloads";
import { orderToValue, storedOrders, type PageOrderRow } from "../orders/reconcile.server";
import { programHistory, type ProgramVersionInForce } from "../program/history.server";
import type { ProgramInForce } from "../program/versions.server";
import { memberOrderOf, type MemberOrder } from "../tiers/facts.server";
import {
  measuresPoints,
  multiplierOf,
  standingChange,
  standingFrom,
  tierUpdatedPayload,
  type Standing,
} from "../tiers/standing.server";
import { PageLedger } from "./page-ledger.server";

interface MemberFacts {
  id: string;
  /** Any ledger entry, a customer merged into it, or a tier entry reward granted. */
  hasEntries: boolean;
  keepsMerged: boolean;
  hasEntryGrants: boolean;
}

/**
 * A page of customers' imported orders valued at once (issue 18, ADR 0074): what
 * reconcileCustomerOrders does customer by customer (points of each order with the tier it was
 * paid in, held points, the tier and its entry bonuses and rewards, goals), computed in memory
 * from one read of the page's members and orders, and written with one statement per table.
 *
 * Only for a customer the app has not valued anything for yet — an active member with no ledger
 * entry, merge, tier checkpoint, held points or tier entry reward, none of whose orders has an
 * entry — as every customer is at install. The others (a webhook got there first, a rerun, a
 * merge) are returned for the reference path, reconcileCustomerOrders; so are all of them when a
 * tier is measured in lifetime points (the replay then reads the ledger as it goes). Also returns
 * the points the orders valued here hold (none before: they had no entry).
 */
export async function valueCustomersTogether(
  tx: Prisma.TransactionClient,
  shopId: string,
  customerIds: readonly bigint[],
  program: ProgramInForce,
  now: Date,
): Promise<{ left: bigint[]; orderPoints: number }> {
  const history = await programHistory(tx, shopId);
  if (measuresPoints(history)) return { left: [...customerIds], orderPoints: 0 };
  const ids = customerIds.map(String);
  // Locked in id order, as merges lock members (no deadlock with them).
  const members = await tx.$queryRaw<Member[]>`
    SELECT ${MEMBER_COLUMNS} FROM "Member"
    WHERE "shopId" = ${shopId}::uuid AND "customerId" = ANY(${ids}::bigint[])
    ORDER BY id FOR UPDATE`;
  const [facts, orders] = await Promise.all([
    memberFacts(tx, shopId, members),
    pageOrders(tx, shopId, ids),
  ]);
  const timeZone = shopTimeZone(orders[0]?.timeZone ?? null);
  const byCustomer = new Map<bigint, PageOrderRow[]>();
  for (const order of orders) {
    const list = byCustomer.get(order.customerId!) ?? [];
    list.push(order);
    byCustomer.set(order.customerId!, list);
  }
  const memberOf = new Map(members.map((m) => [m.customerId, m]));
  const ledger = new PageLedger(program.config);
  const releases: { orderId: bigint; on: string | null }[] = [];
  const grants: { member: Member; key: string }[] = [];
  const left: bigint[] = [];
  for (const customerId of customerIds) {
    const member = memberOf.get(customerId);
    const records = byCustomer.get(customerId) ?? [];
    const fresh =
      member &&
      member.status === "active" &&
      member.mergedIntoId === null &&
      member.tierCheckpoint === null &&
      member.pendingPoints === 0 &&
      !facts.get(member.id)?.hasEntries &&
      !facts.get(member.id)?.keepsMerged &&
      !facts.get(member.id)?.hasEntryGrants &&
      !records.some((r) => r.hasEntries);
    const plan = fresh
      ? await valueFreshCustomer(member, records, { program, history, timeZone, now })
      : null;
    if (!plan) {
      left.push(customerId);
      continue;
    }
    ledger.absorb(plan.ledger);
    releases.push(...plan.releases);
    grants.push(...plan.grants);
  }
  await ledger.write(tx, shopId);
  if (releases.length > 0) {
    await tx.$executeRaw`
      UPDATE "OrderRecord" AS o SET "pointsReleaseOn" = r.release
      FROM unnest(${releases.map((r) => r.orderId.toString())}::bigint[],
        ${releases.map((r) => r.on)}::text[]) AS r(id, release)
      WHERE o."shopId" = ${shopId}::uuid AND o."orderId" = r.id`;
  }
  const handle = program.config.bonuses.tierEntryRewardHandle;
  if (handle && grants.length > 0) {
    const { count } = await tx.rewardGrant.createMany({
      data: grants.map(({ member, key }) => ({
        shopId,
        memberId: member.id,
        customerId: member.customerId,
        occasion: "tier_entry",
        rewardHandle: handle,
        idempotencyKey: key,
      })),
      skipDuplicates: true,
    });
    if (count > 0) await queueRewardGrant(tx, shopId);
  }
  return { left, orderPoints: ledger.orderPoints() };
}

interface Plan {
  ledger: PageLedger;
  releases: { orderId: bigint; on: string | null }[];
  grants: { member: Member; key: string }[];
}

/**
 * reconcileCustomerOrders for a customer with nothing valued yet, in memory. Returns null when a
 * case the reference alone handles shows up (an order valued with another tier than the replay
 * now gives it would be valued again: impossible for orders valued here, checked all the same).
 */
async function valueFreshCustomer(
  member: Member,
  records: PageOrderRow[],
  context: {
    program: ProgramInForce;
    history: ProgramVersionInForce[];
    timeZone: string;
    now: Date;
  },
): Promise<Plan | null> {
  const { program, history, timeZone, now } = context;
  const { config, version } = program;
  // The orders as memberOrders reads them for the replay and goals (no checkpoint: all of them).
  const memberOrders: MemberOrder[] = records
    .filter((r) => r.order !== null && r.currency !== null && r.paidAt!.getTime() > 0)
    .map((r) =>
      memberOrderOf({
        orderId: r.orderId.toString(),
        name: r.name,
        orderVersion: r.orderVersion,
        paidSpendMinor: r.paidSpendMinor,
        paidAt: r.paidAt!,
        cancelledAt: r.cancelledAt,
        currency: r.currency!,
        earning: (r.order as unknown as { earning: OrderForEarning }).earning,
        refunds: r.refunds.map((refund) => ({
          refundId: refund.refundId,
          at: refund.createdAt,
          lines: refund.lines as RefundFacts["lines"],
          amount: refund.amount,
        })),
      }),
    );
  const standing: Standing | null =
    config.tiers.length === 0 && member.tierId === null
      ? null
      : standingFrom(member, memberOrders, history, [], now);

  // Kept apart until complete: a case for the reference leaves nothing behind.
  const ledger = new PageLedger(config);
  const releases: { orderId: bigint; on: string | null }[] = [];
  const releaseOn = new Map<bigint, string | null>();
  let current = member;
  const earned = new Map<string, { multiplier: number; version: number }>();
  for (const record of records) {
    if (!record.earnsPoints || !record.order || !record.currency) continue;
    const orderId = record.orderId;
    const result = await firstOrderPoints(ledger, current, orderToValue(record), {
      config,
      version,
      now,
      multiplierFor: (rules) => (standing ? multiplierOf(standing, orderId, rules) : undefined),
    });
    current = result.member;
    if (!result.earnedNow) continue;
    earned.set(orderId.toString(), { multiplier: earnedMultiplier(ledger, orderId), version });
    if (config.pending.days > 0) {
      // Held from the day the order was paid, in the shop's calendar.
      const on = pendingReleaseDate(localDate(record.paidAt!, timeZone), config.pending.days);
      releases.push({ orderId, on });
      releaseOn.set(orderId, on);
    }
  }
  // revalueOtherOrders: an order valued with another multiplier than the replay gives it now.
  if (standing && !valuedAsReplayed(standing, earned)) return null;
  if (config.pending.days > 0 || current.pendingPoints > 0) {
    // refreshPendingPoints: the orders with entries still in their pending period.
    const today = formatIsoDate(localDate(now, timeZone));
    const nets = records
      .filter((r) => earned.has(r.orderId.toString()))
      .filter((r) => {
        const on = releaseOn.has(r.orderId) ? releaseOn.get(r.orderId) : r.pointsReleaseOn;
        return on != null && on > today;
      })
      .map((r) => ledger.netOf(r.orderId));
    const held = heldPoints(nets, current.pointsBalance);
    if (held !== current.pendingPoints) {
      current = {
        ...current,
        pendingPoints: held,
        profileSyncRequestedAt: now,
        updatedAt: new Date(),
      };
      ledger.save(current);
    }
  }
  const grants: { member: Member; key: string }[] = [];
  if (standing) {
    const settled = settleTier(ledger, current, standing, { config, timeZone, now, grants });
    if (!settled) return null;
    current = settled;
  }
  if (config.goals.length > 0 && !settleGoals(ledger, current, memberOrders, config.goals, now)) {
    return null;
  }
  return { ledger, releases, grants };
}

/**
 * The multiplier the order was last valued with, as revalueOtherOrders reads it: its
 * restatement's if it has one, else its earn entry's.
 */
function earnedMultiplier(ledger: PageLedger, orderId: bigint): number {
  const restated = ledger.detailOf(`order:${orderId}:restate:1`) as { multiplier?: unknown };
  if (restated) return Number(restated.multiplier);
  const detail = ledger.detailOf(`order:${orderId}:earn`) as { snapshot?: { multiplier?: number } };
  return Number(detail?.snapshot?.multiplier);
}

/**
 * What revalueOtherOrders checks: every order earned here has the multiplier the replay gives it
 * in the rules of its version (else the reference path values it again).
 */
function valuedAsReplayed(
  standing: Standing,
  earned: Map<string, { multiplier: number; version: number }>,
): boolean {
  for (const other of standing.orders) {
    const valued = earned.get(other.spend.orderId);
    if (!valued) continue;
    const rules = standing.history.find((h) => h.version === valued.version)?.config;
    if (!rules) continue;
    const derived = multiplierOf(standing, BigInt(other.spend.orderId), rules);
    if (derived !== undefined && derived !== valued.multiplier) return false;
  }
  return true;
}

/**
 * applyStanding and reconcileEntryRewards for a member with no tier bonus or reward yet: the
 * tier written and announced when it moved, each tier entered owing its bonus and reward. Null
 * for a bonus that would be taken back (a negative bonus: the reference path's).
 */
function settleTier(
  ledger: PageLedger,
  member: Member,
  standing: Standing,
  context: {
    config: ProgramInForce["config"];
    timeZone: string;
    now: Date;
    grants: { member: Member; key: string }[];
  },
): Member | null {
  const { config, timeZone, now } = context;
  let current = member;
  const moved = standingChange(member, standing, config);
  if (moved) {
    current = {
      ...member,
      tierId: moved.state.tierId,
      tierEnteredAt: moved.state.enteredAt,
      tierPeriodEndsAt: moved.state.expiresAt,
      tierLockedUntil: moved.state.lockedUntil,
      updatedAt: new Date(),
    };
    ledger.save(current);
    if (moved.change) {
      ledger.record(
        current,
        "tier.updated",
        tierUpdatedPayload(config, timeZone, moved.change),
        moved.change.at,
      );
    }
  }
  const owed = new Map<string, number>();
  for (const entry of standing.timeline.entries) {
    if (!owed.has(entry.tierId)) owed.set(entry.tierId, entry.bonusPoints);
  }
  for (const tierId of [...owed.keys()].sort()) {
    const delta = owed.get(tierId) ?? 0;
    if (delta < 0) return null;
    if (delta === 0) continue;
    const result = ledger.post(current, {
      kind: "bonus",
      source: "tier_bonus",
      points: delta,
      idempotencyKey: tierEntryBonusKey(current.id, tierId),
      detail: { tierId },
      now,
    });
    if (!result.posted) continue;
    current = result.member;
    ledger.record(current, "points.added", {
      points: delta,
      source: "tier_bonus",
      order_id: null,
      order_name: null,
      note: null,
    });
  }
  for (const tierId of owed.keys()) {
    context.grants.push({ member: current, key: `grant:tier_entry:${current.id}:${tierId}` });
  }
  return current;
}

/**
 * reconcileGoals for a member with no goal bonus yet: each goal the facts reach pays once. False
 * for a negative goal bonus (the reference path's).
 */
function settleGoals(
  ledger: PageLedger,
  member: Member,
  orders: MemberOrder[],
  goals: readonly Goal[],
  now: Date,
): boolean {
  const owed = goalsOwed(
    goals,
    orders.map((o) => o.spend),
    now,
  );
  let current = member;
  for (const goal of goals) {
    const due = owed.find((o) => o.goalId === goal.id)!;
    if (due.points < 0) return false;
    if (due.points === 0) continue;
    const result = ledger.post(current, {
      kind: "bonus",
      source: "goal",
      points: due.points,
      idempotencyKey: goalBonusKey(current.id, goal.id),
      detail: { goalId: goal.id, reachedBy: due.reachedBy },
      now,
    });
    if (!result.posted) continue;
    current = result.member;
    const order = orders.find((o) => o.spend.orderId === due.reachedBy);
    ledger.record(current, "points.added", {
      points: due.points,
      source: "goal",
      order_id: due.reachedBy,
      order_name: order?.name ?? null,
      note: goalNote(goal),
    });
  }
  return true;
}

/** What the reference path would find on each member: anything valued already, merges, grants. */
async function memberFacts(
  tx: Prisma.TransactionClient,
  shopId: string,
  members: Member[],
): Promise<Map<string, MemberFacts>> {
  if (members.length === 0) return new Map();
  const rows = await tx.$queryRaw<MemberFacts[]>`
    SELECT m.id::text AS id,
      EXISTS (SELECT 1 FROM "LedgerEntry" l
        WHERE l."shopId" = ${shopId}::uuid AND l."memberId" = m.id) AS "hasEntries",
      EXISTS (SELECT 1 FROM "MemberMerge" g
        WHERE g."shopId" = ${shopId}::uuid AND g."keptMemberId" = m.id) AS "keepsMerged",
      EXISTS (SELECT 1 FROM "RewardGrant" r
        WHERE r."shopId" = ${shopId}::uuid AND r."memberId" = m.id
          AND r."idempotencyKey" LIKE 'grant:tier_entry:%') AS "hasEntryGrants"
    FROM unnest(${members.map((m) => m.id)}::uuid[]) AS m(id)`;
  return new Map(rows.map((row) => [row.id, row]));
}

/** The page's paid orders with their refunds, as storedOrders and memberOrders read them. */
function pageOrders(tx: Prisma.TransactionClient, shopId: string, customerIds: string[]) {
  return storedOrders(
    tx,
    shopId,
    Prisma.sql`o."customerId" = ANY(${customerIds}::bigint[]) AND o."paidAt" IS NOT NULL`,
    { importPage: true },
  );
}
