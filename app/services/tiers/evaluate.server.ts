import type { Member, Prisma } from "@prisma/client";
import type { ProgramConfig } from "~/domain/program/index";
import { shopTimeZone } from "~/domain/calendar/index";
import { assignTierManually, type MemberTierState } from "~/domain/tiers/index";
import { LoyaltyError } from "../errors";
import { writeCheckpoint } from "./checkpoint";
import { reconcileEntryRewards } from "./entry-rewards.server";
import { applyStanding, deriveStanding, recordTierUpdated, type Standing } from "./standing.server";

/**
 * Brings the member's stored tier in line with their facts (ADR 0054): upgrades, undone upgrades,
 * reviews at period ends, program changes, and the entry bonuses and rewards those owe. Called by
 * every fact that can move a tier (orders, merges, the daily run). Returns the member and the
 * standing it derived (orders need its tiers for their multipliers).
 */
export async function reconcileTier(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  timeZone: string,
  now = new Date(),
): Promise<{ member: Member; standing: Standing | null }> {
  // A shop without tiers (the common case) reads no history for them.
  if (config.tiers.length === 0 && member.tierId === null) return { member, standing: null };
  const standing = await deriveStanding(tx, member, now);
  return { member: await applyStanding(tx, member, standing, config, timeZone, now), standing };
}

/** Whether points outside orders can move this program's tiers (a tier in lifetime points). */
export function bonusesMoveTiers(config: ProgramConfig): boolean {
  return config.tiers.some((tier) => tier.threshold.kind === "lifetime_points");
}

/**
 * After bonus points outside an order (a referral, a welcome, a birthday, an anniversary): a tier
 * measured in lifetime points is reached now, as the member page and the storefront already say,
 * not at the next review of the tier period.
 */
export async function reconcileTierAfterBonus(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  now = new Date(),
): Promise<Member> {
  if (!bonusesMoveTiers(config)) return member;
  const shop = await tx.shop.findUniqueOrThrow({
    where: { id: member.shopId },
    select: { timeZone: true },
  });
  return (await reconcileTier(tx, member, config, shopTimeZone(shop.timeZone), now)).member;
}

/**
 * The "Set VIP tier" action, the admin's manual assignment and an import (manual_assign, optional
 * lock). The tier is first brought up to date with the facts, then assigned; the assignment is
 * the member's new checkpoint: the replay starts from it, so no refund undoes what the merchant
 * chose. An upward assignment pays the entry bonus and reward like any entry, once per tier.
 */
export async function assignTier(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  timeZone: string,
  tierId: string | null,
  lockedUntil: Date | null,
  now = new Date(),
  reason: "manual" | "import" = "manual",
): Promise<Member> {
  if (tierId !== null && !config.tiers.some((t) => t.id === tierId)) {
    throw new LoyaltyError("unknown_tier", `There is no VIP tier "${tierId}" in the program`);
  }
  const standing = await deriveStanding(tx, member, now);
  let current = await applyStanding(tx, member, standing, config, timeZone, now);
  // Tiers whose entry bonus and reward are settled: before the checkpoint, and entered since.
  const entered = new Set([
    ...(standing.checkpoint?.enteredTierIds ?? []),
    ...standing.timeline.entries.map((entry) => entry.tierId),
  ]);
  const assignment = assignTierManually({
    state: tierState(current),
    rules: config.tiers,
    tierId,
    lockedUntil,
    bonusGrantedTierIds: entered,
    now,
    periodDays: config.tierRules.periodDays,
  });
  const { state } = assignment;
  const rank = (id: string | null) => config.tiers.findIndex((t) => t.id === id);
  const rule = config.tiers.find((t) => t.id === state.tierId);
  // An upward move into a tier never entered before owes its entry bonus and reward.
  const manualEntry =
    rule && rank(rule.id) > rank(current.tierId) && !entered.has(rule.id)
      ? { tierId: rule.id, at: now, bonusPoints: rule.entryBonusPoints }
      : null;
  const checkpoint = { at: now, state, enteredTierIds: [...entered], reason };
  current = await tx.member.update({
    where: { id: member.id },
    data: {
      tierId: state.tierId,
      tierEnteredAt: state.enteredAt,
      tierPeriodEndsAt: state.expiresAt,
      tierLockedUntil: state.lockedUntil,
      tierCheckpoint: writeCheckpoint({
        ...checkpoint,
        enteredTierIds: manualEntry ? [...entered, manualEntry.tierId] : [...entered],
      }),
    },
  });
  await recordTierUpdated(tx, current, config, timeZone, {
    change: "manual_assign",
    reason,
    at: now,
    previousTierId: assignment.changes[0]!.previousTierId,
    state,
  });
  if (!manualEntry) return current;
  // Settled as the one entry of a replay from the old checkpoint's entries.
  return reconcileEntryRewards(
    tx,
    current,
    {
      ...standing,
      checkpoint,
      timeline: { ...standing.timeline, state, changes: [], entries: [manualEntry] },
    },
    config,
    now,
  );
}

function tierState(member: Member): MemberTierState {
  return {
    tierId: member.tierId,
    enteredAt: member.tierEnteredAt,
    expiresAt: member.tierPeriodEndsAt,
    lockedUntil: member.tierLockedUntil,
  };
}
