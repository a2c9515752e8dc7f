import type { Member, Prisma } from "@prisma/client";
import type { ProgramConfig } from "~/domain/program/index";
import { shopTimeZone } from "~/domain/calendar/index";
import { LoyaltyError } from "../errors";
import { readTierHistory, writeTierHistory } from "./checkpoint";
import { applyStanding, deriveStanding, type Standing } from "./standing.server";

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
 * lock). The assignment is a fact of the member's replay at its instant (ADR 0054): the facts
 * dated before it replay before it, whenever they arrive, and no refund after it undoes what the
 * merchant chose. The tier is first brought up to date with the facts known, then the assignment
 * is recorded and the replay written; an upward assignment pays the entry bonus and reward like
 * any entry, once per tier.
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
  const history = readTierHistory(current.tierCheckpoint);
  current = await tx.member.update({
    where: { id: member.id },
    data: {
      tierCheckpoint: writeTierHistory({
        ...history,
        assignments: [...history.assignments, { at: now, tierId, lockedUntil, reason }],
      }),
    },
  });
  const assigned = await deriveStanding(tx, current, now);
  return applyStanding(tx, current, assigned, config, timeZone, now, reason);
}
