import type { Member, Prisma } from "@prisma/client";
import { cumulativeClawback, earnForOrder } from "~/domain/earning/index";
import type { ProgramConfig } from "~/domain/program/index";
import {
  deriveTierTimeline,
  earnMultiplierFor,
  type MemberTierState,
  type Timeline,
  type TimelineChange,
  type TimelineInput,
} from "~/domain/tiers";
import { formatIsoDate, localDate } from "~/domain/calendar/index";
import type { PayloadOf } from "~/domain/events/index";
import { recordEvent } from "../events/outbox.server";
import {
  programHistory,
  tierPrograms,
  type ProgramVersionInForce,
} from "../program/history.server";
import { readTierHistory } from "./checkpoint";
import { reconcileEntryRewards } from "./entry-rewards.server";
import { memberOrders, replayReach, type MemberOrder } from "./facts.server";
import type { Standing } from "./types";

export type { Standing } from "./types";

/**
 * Ledger kinds that count in lifetime earned points (post-entry.server.ts). The replay values
 * its own orders and tier bonuses; every other such entry counts at the instant it was posted.
 */
const LIFETIME_KINDS = ["earn", "clawback", "reversal", "bonus", "adjustment"];

/**
 * Replays the member's facts (orders, refunds, cancellations, program versions, the merchant's
 * assignments) from their checkpoint to `now`. Reads only; applyStanding writes what changed.
 */
export async function deriveStanding(
  tx: Prisma.TransactionClient,
  member: Member,
  now: Date,
): Promise<Standing> {
  const { base: checkpoint } = readTierHistory(member.tierCheckpoint);
  const [orders, history] = await Promise.all([
    memberOrders(tx, member, replayReach(checkpoint)),
    programHistory(tx, member.shopId),
  ]);
  const otherPoints = measuresPoints(history) ? await otherEarnedPoints(tx, member, orders) : [];
  return standingFrom(member, orders, history, otherPoints, now);
}

/** Whether a program version measures a tier in lifetime points (the replay then reads the ledger). */
export function measuresPoints(history: readonly ProgramVersionInForce[]): boolean {
  return tierPrograms(history).some((p) => p.rules[0]?.threshold.kind === "lifetime_points");
}

/**
 * The replay of facts already read: the member's orders since their checkpoint, the shop's
 * program versions and, for tiers in lifetime points, the points earned outside those orders.
 * deriveStanding reads them one member at a time; the history import reads them for a page of
 * customers at once (ADR 0074).
 */
export function standingFrom(
  member: Member,
  orders: MemberOrder[],
  history: ProgramVersionInForce[],
  otherPoints: { points: number; at: Date }[],
  now: Date,
): Standing {
  const { base: checkpoint, assignments } = readTierHistory(member.tierCheckpoint);
  const programs = tierPrograms(history);
  const pointsTiers = measuresPoints(history);
  const input: TimelineInput = {
    checkpoint,
    assignments,
    orders: orders.map((order) => order.spend),
    programs,
    now,
    ...(pointsTiers
      ? {
          pointsEarnedAt: otherPoints.map((p) => p.at),
          lifetimePoints: (at, knownAt, tierAtOrder) =>
            otherPoints
              .filter((p) => p.at.getTime() <= at.getTime())
              .reduce((sum, p) => sum + p.points, 0) +
            orders
              .filter((o) => o.spend.paidAt.getTime() <= at.getTime())
              .reduce((sum, o) => sum + orderPoints(o, history, tierAtOrder, knownAt), 0),
        }
      : {}),
  };
  return { timeline: deriveTierTimeline(input), input, checkpoint, orders, history };
}

/**
 * The multiplier an order earns with: its tier's in the rules it is valued under (`config`).
 * Undefined for an order paid before the member's checkpoint: it keeps what it earned with.
 */
export function multiplierOf(
  standing: Standing,
  orderId: bigint,
  config: ProgramConfig,
): number | undefined {
  const key = orderId.toString();
  if (!standing.timeline.tierAtOrder.has(key)) return undefined;
  return earnMultiplierFor(config.tiers, standing.timeline.tierAtOrder.get(key) ?? null);
}

/**
 * Writes the derived tier when it differs from the stored one, with one tier.updated describing
 * the change the stored tier really went through (a replay may have passed through tiers the
 * member never held here), and settles the entry bonuses and rewards the standing tiers owe.
 */
export async function applyStanding(
  tx: Prisma.TransactionClient,
  member: Member,
  standing: Standing,
  config: ProgramConfig,
  timeZone: string,
  now: Date,
  /** The merchant's assignment this replay ends with: announced even when nothing moved. */
  assigned?: "manual" | "import",
): Promise<Member> {
  const derived = standing.timeline.state;
  let current = member;
  if (assigned) {
    if (!sameTier(stored(member), derived)) current = await writeTier(tx, member, derived);
    await recordTierUpdated(tx, current, config, timeZone, {
      change: "manual_assign",
      reason: assigned,
      at: now,
      previousTierId: member.tierId,
      state: derived,
    });
  } else {
    const moved = standingChange(member, standing, config);
    if (moved) {
      current = await writeTier(tx, member, moved.state);
      if (moved.change) await recordTierUpdated(tx, current, config, timeZone, moved.change);
    }
  }
  return reconcileEntryRewards(tx, current, standing, config, now);
}

/**
 * What applyStanding does to the stored tier when no assignment ends the replay: null when it
 * stays, else the derived state to write and the change to announce (none for dates alone).
 */
export function standingChange(
  member: Member,
  standing: Standing,
  config: ProgramConfig,
): { state: MemberTierState; change: NetChange | null } | null {
  const derived = standing.timeline.state;
  if (sameTier(stored(member), derived)) return null;
  return { state: derived, change: describeChange(member, standing.timeline, config) };
}

function writeTier(tx: Prisma.TransactionClient, member: Member, derived: MemberTierState) {
  return tx.member.update({
    where: { id: member.id },
    data: {
      tierId: derived.tierId,
      tierEnteredAt: derived.enteredAt,
      tierPeriodEndsAt: derived.expiresAt,
      tierLockedUntil: derived.lockedUntil,
    },
  });
}

function stored(member: Member): MemberTierState {
  return {
    tierId: member.tierId,
    enteredAt: member.tierEnteredAt,
    expiresAt: member.tierPeriodEndsAt,
    lockedUntil: member.tierLockedUntil,
  };
}

const time = (at: Date | null) => at?.getTime() ?? null;

function sameTier(a: MemberTierState, b: MemberTierState) {
  return (
    a.tierId === b.tierId &&
    time(a.enteredAt) === time(b.enteredAt) &&
    time(a.expiresAt) === time(b.expiresAt) &&
    time(a.lockedUntil) === time(b.lockedUntil)
  );
}

/** One tier.updated's facts: what changed, why, when, from which tier, to which state. */
export type NetChange = {
  change: TimelineChange["change"];
  reason: TimelineChange["reason"];
  at: Date;
  previousTierId: string | null;
  state: TimelineChange["state"];
};

/**
 * What happened to the stored tier: another tier (up, down, first, none), or the same tier kept
 * for a new period at its review. A correction of dates alone (a late order moved an entry
 * date) is written without an event: nothing a flow should act on happened to the member.
 */
function describeChange(
  member: Member,
  timeline: Timeline,
  config: ProgramConfig,
): NetChange | null {
  const derived = timeline.state;
  const rank = (tierId: string | null) => config.tiers.findIndex((t) => t.id === tierId);
  if (member.tierId === derived.tierId) {
    const last = timeline.changes.at(-1);
    const extended =
      last?.change === "spending_extend" &&
      last.state.tierId === derived.tierId &&
      (time(derived.expiresAt) ?? 0) > (time(member.tierPeriodEndsAt) ?? 0);
    return extended ? { ...last, state: derived } : null;
  }
  // The change that put the member on the tier they hold now says why and when.
  const cause = [...timeline.changes]
    .reverse()
    .find((c) => c.state.tierId === derived.tierId && c.previousTierId !== derived.tierId);
  const up = rank(derived.tierId) > rank(member.tierId);
  return {
    change:
      cause?.change === "manual_assign"
        ? "manual_assign"
        : !up
          ? "spending_downgrade"
          : member.tierId === null
            ? "spending_assign"
            : "spending_upgrade",
    reason: cause?.reason ?? "spend",
    at: cause?.at ?? derived.enteredAt ?? new Date(),
    previousTierId: member.tierId,
    state: derived,
  };
}

/** tier.updated for one change of the stored tier, its dates in the shop's calendar. */
export async function recordTierUpdated(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  timeZone: string,
  change: NetChange,
) {
  await recordEvent(
    tx,
    member,
    config,
    "tier.updated",
    tierUpdatedPayload(config, timeZone, change),
    change.at,
  );
}

/** tier.updated's payload for one change of the stored tier, its dates in the shop's calendar. */
export function tierUpdatedPayload(
  config: ProgramConfig,
  timeZone: string,
  change: NetChange,
): PayloadOf<"tier.updated"> {
  const name = (id: string | null) => config.tiers.find((t) => t.id === id)?.name ?? null;
  const day = (at: Date | null) => (at ? formatIsoDate(localDate(at, timeZone)) : null);
  const { state } = change;
  return {
    change: change.change,
    reason: change.reason,
    previous_tier: name(change.previousTierId),
    current_tier: name(state.tierId),
    entry_date: day(state.enteredAt ?? change.at)!,
    // The lock ends at the start of the day after the last locked day (exclusive).
    locked_until: day(state.lockedUntil && new Date(state.lockedUntil.getTime() - 1)),
    expires_at: state.expiresAt?.toISOString() ?? null,
  };
}

/** An order's points as the replay values it: its tier's multiplier, less what was given back. */
function orderPoints(
  order: MemberOrder,
  history: readonly ProgramVersionInForce[],
  tierAtOrder: ReadonlyMap<string, string | null>,
  knownAt: Date,
) {
  if (order.spend.cancelledAt && order.spend.cancelledAt.getTime() <= knownAt.getTime()) return 0;
  const config = configAt(history, order.spend.paidAt);
  const tierId = tierAtOrder.get(order.spend.orderId) ?? null;
  const { snapshot } = earnForOrder(order.earning, config, earnMultiplierFor(config.tiers, tierId));
  const known = order.refunds.filter((r) => r.at.getTime() <= knownAt.getTime());
  return snapshot.points - cumulativeClawback(snapshot, known);
}

function configAt(history: readonly ProgramVersionInForce[], at: Date): ProgramConfig {
  let config = history[0]!.config;
  for (const entry of history)
    if (entry.from && entry.from.getTime() <= at.getTime()) config = entry.config;
  return config;
}

/** Points earned outside the replayed orders and tier bonuses, each at the instant it was posted. */
async function otherEarnedPoints(
  tx: Prisma.TransactionClient,
  member: Member,
  orders: MemberOrder[],
) {
  const rows = await tx.$queryRaw<{ points: number; createdAt: Date }[]>`
    SELECT points, "createdAt" FROM "LedgerEntry"
    WHERE "shopId" = ${member.shopId}::uuid AND "memberId" = ${member.id}::uuid
      AND kind = ANY(${LIFETIME_KINDS}::text[]) AND "idempotencyKey" NOT LIKE 'tier:%'
      AND ("orderId" IS NULL OR NOT ("orderId"::text = ANY(${orders.map((o) => o.spend.orderId)}::text[])))`;
  return rows.map((row) => ({ points: row.points, at: row.createdAt }));
}
