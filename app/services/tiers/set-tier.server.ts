import prisma from "~/db.server";
import { startOfNextLocalDay, parseIsoDate } from "~/domain/calendar/index";
import { LoyaltyError } from "../errors";
import { lockActiveMember } from "../members/repository.server";
import { programInForce } from "../program/versions.server";
import { assignTier } from "./evaluate.server";

/**
 * Manual tier assignment (Flow "Set VIP tier", admin): the tier by id or name (case-insensitive),
 * or none; the lock lasts through the given local date in the shop's time zone.
 */
export async function setMemberTier(
  shopId: string,
  customerId: bigint,
  tier: string | null,
  lockUntil: string | null,
) {
  return prisma.$transaction(async (tx) => {
    const member = await lockActiveMember(tx, shopId, customerId);
    const { config } = await programInForce(tx, shopId);
    const shop = await tx.shop.findUniqueOrThrow({
      where: { id: shopId },
      select: { timeZone: true },
    });
    const wanted = tier?.toLowerCase();
    const rule = wanted
      ? config.tiers.find((t) => t.id === wanted || t.name.toLowerCase() === wanted)
      : null;
    if (tier && !rule) {
      const known = config.tiers.map((t) => t.name).join(", ") || "none set up";
      throw new LoyaltyError("unknown_tier", `There is no VIP tier "${tier}" (tiers: ${known})`);
    }
    const lockDate = lockUntil ? parseIsoDate(lockUntil) : null;
    if (lockUntil && !lockDate)
      throw new LoyaltyError("invalid_input", `"${lockUntil}" is not a date`);
    const updated = await assignTier(
      tx,
      member,
      config,
      shop.timeZone,
      rule?.id ?? null,
      lockDate ? startOfNextLocalDay(lockDate, shop.timeZone) : null,
    );
    return {
      tier: rule?.name ?? null,
      lockedUntil: updated.tierLockedUntil?.toISOString() ?? null,
    };
  });
}
