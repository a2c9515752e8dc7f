import type { Member, Prisma } from "@prisma/client";
import { formatIsoDate, localDate } from "~/domain/calendar/index";
import type { ProgramConfig } from "~/domain/program/index";
import {
  assignTierManually,
  evaluateTier,
  tierEntryBonusKey,
  type MemberTierState,
  type SpendRecord,
  type TierEvaluation,
} from "~/domain/tiers/index";
import { goodsSpendMinor, type OrderForEarning } from "~/domain/earning/index";
import { toMinorUnits } from "~/domain/money";
import { postEntry } from "../ledger/post-entry.server";
import { LoyaltyError } from "../errors";
import { recordEvent } from "../events/outbox.server";
import { grantRewardLater } from "../rewards/grants/record.server";

const WINDOW_MS = 366 * 24 * 3600 * 1000;

/**
 * Re-evaluates the member's tier from their spend and points (upgrade now, review at period end)
 * and applies the result: tier columns, tier.updated events, entry bonuses once per tier.
 */
export async function reevaluateTier(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  timeZone: string,
  now = new Date(),
): Promise<Member> {
  if (config.tiers.length === 0 && member.tierId === null) return member;
  const evaluation = evaluateTier({
    state: tierState(member),
    rules: config.tiers,
    metrics: { spend: await spendHistory(tx, member, now), lifetimePoints: member.lifetimeEarned },
    bonusGrantedTierIds: await grantedEntryBonuses(tx, member),
    now,
    periodDays: config.tierRules.periodDays,
  });
  return applyTierEvaluation(tx, member, config, timeZone, evaluation, now);
}

/** The "Set VIP tier" action and the admin's manual assignment (manual_assign, optional lock). */
export async function assignTier(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  timeZone: string,
  tierId: string | null,
  lockedUntil: Date | null,
  now = new Date(),
): Promise<Member> {
  if (tierId !== null && !config.tiers.some((t) => t.id === tierId)) {
    throw new LoyaltyError("unknown_tier", `There is no VIP tier "${tierId}" in the program`);
  }
  const evaluation = assignTierManually({
    state: tierState(member),
    rules: config.tiers,
    tierId,
    lockedUntil,
    bonusGrantedTierIds: await grantedEntryBonuses(tx, member),
    now,
    periodDays: config.tierRules.periodDays,
  });
  return applyTierEvaluation(tx, member, config, timeZone, evaluation, now);
}

async function applyTierEvaluation(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  timeZone: string,
  evaluation: TierEvaluation,
  now: Date,
) {
  const { state } = evaluation;
  let current = await tx.member.update({
    where: { id: member.id },
    data: {
      tierId: state.tierId,
      tierEnteredAt: state.enteredAt,
      tierPeriodEndsAt: state.expiresAt,
      tierLockedUntil: state.lockedUntil,
    },
  });
  const name = (id: string | null) => config.tiers.find((t) => t.id === id)?.name ?? null;
  const day = (at: Date | null) => (at ? formatIsoDate(localDate(at, timeZone)) : null);
  for (const change of evaluation.changes) {
    await recordEvent(
      tx,
      current,
      config,
      "tier.updated",
      {
        change: change.change,
        previous_tier: name(change.previousTierId),
        current_tier: name(change.tierId),
        entry_date: day(change.enteredAt ?? change.at)!,
        // The lock ends at the start of the day after the last locked day (exclusive).
        locked_until: day(change.lockedUntil && new Date(change.lockedUntil.getTime() - 1)),
        expires_at: change.expiresAt?.toISOString() ?? null,
      },
      change.at,
    );
  }
  for (const change of evaluation.changes) {
    // Entering a tier (not extending or leaving one): its reward, once per member and tier.
    if (!change.tierId || change.tierId === change.previousTierId) continue;
    if (change.change === "spending_extend" || change.change === "spending_downgrade") continue;
    await grantRewardLater(
      tx,
      current,
      "tier_entry",
      config.bonuses.tierEntryRewardHandle,
      `grant:tier_entry:${member.id}:${change.tierId}`,
    );
  }
  for (const bonus of evaluation.entryBonuses) {
    const result = await postEntry(tx, current, {
      kind: "bonus",
      source: "tier_bonus",
      points: bonus.points,
      idempotencyKey: tierEntryBonusKey(member.id, bonus.tierId),
      detail: { tierId: bonus.tierId },
      now,
    });
    if (result.status !== "posted") continue;
    current = result.member;
    await recordEvent(tx, current, config, "points.added", {
      points: bonus.points,
      source: "tier_bonus",
      order_id: null,
      order_name: null,
      note: null,
    });
  }
  return current;
}

function tierState(member: Member): MemberTierState {
  return {
    tierId: member.tierId,
    enteredAt: member.tierEnteredAt,
    expiresAt: member.tierPeriodEndsAt,
    lockedUntil: member.tierLockedUntil,
  };
}

async function grantedEntryBonuses(tx: Prisma.TransactionClient, member: Member) {
  const entries = await tx.ledgerEntry.findMany({
    where: { shopId: member.shopId, memberId: member.id, kind: "bonus", source: "tier_bonus" },
    select: { detail: true },
  });
  return entries.map((entry) => (entry.detail as { tierId: string }).tierId);
}

/**
 * Net spend records of the member's orders in the last 366 days: paid orders (what was bought,
 * after discounts, gift cards excluded), refunds (money returned) and cancellations (the rest).
 */
export async function spendHistory(
  tx: Prisma.TransactionClient,
  member: Member,
  now: Date,
): Promise<SpendRecord[]> {
  // A review of a period that ended before now measures the 365 days up to that end (see
  // measuresAt), so the orders read must reach back from the earlier of the two.
  const until = Math.min(now.getTime(), member.tierPeriodEndsAt?.getTime() ?? now.getTime());
  const since = new Date(until - WINDOW_MS);
  const orders = await tx.orderRecord.findMany({
    where: {
      shopId: member.shopId,
      customerId: member.customerId,
      paidAt: { gte: since },
    },
    include: { refunds: true },
  });
  return orders.flatMap(spendRecordsOf);
}

type OrderWithRefunds = Prisma.OrderRecordGetPayload<{ include: { refunds: true } }>;

/** One order's spend records: paid (after discounts, gift cards excluded), refunds, cancellation. */
export function spendRecordsOf(order: OrderWithRefunds): SpendRecord[] {
  const earning = (order.order as { earning?: OrderForEarning } | null)?.earning;
  if (!earning || !order.paidAt || !order.currency) return [];
  const currency = order.currency;
  const spent = goodsSpendMinor(earning);
  const refunds = order.refunds.map((refund) => ({
    at: refund.createdAt,
    minor: -(JSON.parse(refund.amount) as string[]).reduce(
      (sum, amount) => sum + toMinorUnits(amount, currency),
      0,
    ),
  }));
  const refunded = -refunds.reduce((sum, r) => sum + r.minor, 0);
  const records: SpendRecord[] = [{ at: order.paidAt, minor: spent }, ...refunds];
  if (order.cancelledAt && spent > refunded) {
    records.push({ at: order.cancelledAt, minor: -(spent - refunded) });
  }
  return records;
}

/** How far back spend counts for tiers (the 365-day window plus a day of time-zone slack). */
export const SPEND_LOOKBACK_MS = WINDOW_MS;
