import type { Member, Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { addDays, formatIsoDate, localDate, shopTimeZone } from "~/domain/calendar";
import { logger } from "~/lib/logger.server";
import { lockMember } from "../members/repository.server";
import { refreshPendingPoints } from "../ledger/pending.server";
import { programInForce } from "../program/versions.server";
import {
  runRewardLifecycle,
  type RewardLifecycleSummary,
} from "../rewards/redemption/lifecycle.server";
import { bonusesMoveTiers, reconcileTier } from "../tiers/evaluate.server";
import { rollUpDashboardDays } from "../dashboard/rollup.server";
import { sendStoreCreditReminders } from "../store-credit/reminders.server";
import { anniversaryCandidates, applyAnniversaryBonus } from "./anniversary.server";
import { applyBirthMonthEntered } from "./birth-month.server";
import type { DailyContext } from "./context";
import { applyPointsExpiry } from "./expiry.server";

/** Members read per query; each is then maintained in its own transaction. */
const BATCH_SIZE = 200;

export interface DailySummary extends RewardLifecycleSummary {
  members: number;
  failed: number;
  expiredPoints: number;
  reminders: number;
  birthMonthsEntered: number;
  tierReviews: number;
  storeCreditReminders: number;
}

/** Thrown after every member was tried, so the job fails and pg-boss retries the shop's day. */
export class DailyMaintenanceError extends Error {
  override readonly name = "DailyMaintenanceError";
  constructor(
    readonly shopId: string,
    readonly failed: number,
  ) {
    super(`daily maintenance failed for ${failed} member(s) of shop ${shopId}`);
  }
}

/**
 * One shop's daily maintenance as of `now`: points expiry and expiring reminders, birth months
 * entered, and tier reviews for periods that ended. Each member is one transaction under the
 * member's row lock, so a failing member is logged and the others go on; the run then throws so the
 * job is retried. Running it again the same day (a retry, a second worker) changes nothing: expiry
 * debits and bonuses have ledger idempotency keys, reminders and birth months claim event keys,
 * and a reviewed tier period has moved past `now`.
 */
export async function runDailyMaintenance(shopId: string, now = new Date()): Promise<DailySummary> {
  const summary: DailySummary = {
    members: 0,
    failed: 0,
    expiredPoints: 0,
    reminders: 0,
    birthMonthsEntered: 0,
    tierReviews: 0,
    storeCreditReminders: 0,
    rewardReminders: 0,
    rewardsExpired: 0,
  };
  const shop = await prisma.shop.findUnique({
    where: { id: shopId },
    select: { timeZone: true, uninstalledAt: true },
  });
  // Redacted, or uninstalled after the run was queued: the merchant has left, nothing to send.
  if (!shop || shop.uninstalledAt) return summary;
  const { config } = await programInForce(prisma, shopId);
  const context: DailyContext = { shopId, timeZone: shopTimeZone(shop.timeZone), config, now };

  const where = candidates(context, await anniversaryCandidates(prisma, context));
  let after: string | undefined;
  for (;;) {
    const batch = await prisma.member.findMany({
      where: after ? { AND: [where, { id: { gt: after } }] } : where,
      orderBy: { id: "asc" },
      take: BATCH_SIZE,
      select: { id: true, customerId: true },
    });
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.id;
    for (const candidate of batch) {
      try {
        const outcome = await prisma.$transaction((tx) =>
          maintainMember(tx, candidate.customerId, context),
        );
        summary.members += 1;
        summary.expiredPoints += outcome.expiredPoints;
        summary.reminders += outcome.reminders;
        summary.birthMonthsEntered += outcome.birthMonthEntered ? 1 : 0;
        summary.tierReviews += outcome.tierReviewed ? 1 : 0;
      } catch (error) {
        summary.failed += 1;
        logger.error("daily maintenance failed for a member", {
          shopId,
          memberId: candidate.id,
          error: (error as Error).message,
        });
      }
    }
  }
  Object.assign(summary, await runRewardLifecycle(shopId, config, now));
  const creditReminders = await sendStoreCreditReminders(shopId, config, now);
  summary.storeCreditReminders = creditReminders.sent;
  summary.failed += creditReminders.failed;
  // The dashboard's sums of the days that ended (ADR 0032); read from the ledger until then.
  await rollUpDashboardDays(shopId, context.timeZone, now);
  logger.info("daily maintenance done", { shopId, ...summary });
  if (summary.failed > 0) throw new DailyMaintenanceError(shopId, summary.failed);
  return summary;
}

/**
 * Members that may have something due today; a superset, since each step decides for itself.
 * A birth month is only ever due during that month or on the 1st of the next (a capture on its
 * last day), so other birth months are left out.
 */
function candidates(
  { shopId, config, now, timeZone }: DailyContext,
  anniversaries: string[],
): Prisma.MemberWhereInput {
  const today = localDate(now, timeZone);
  const months = new Set([today.month, addDays(today, -1).month]);
  const reasons: Prisma.MemberWhereInput[] = [
    { tierPeriodEndsAt: { lte: now } },
    { birthMonth: { in: [...months] } },
  ];
  if (config.expiry.kind !== "none") reasons.push({ pointsBalance: { gt: 0 } });
  // Held points whose pending period may have ended today.
  reasons.push({ pendingPoints: { gt: 0 } });
  if (anniversaries.length > 0) reasons.push({ id: { in: anniversaries } });
  // Redacted, deleted and merged members get no events; their points stay as they are.
  return { shopId, status: "active", OR: reasons };
}

async function maintainMember(
  tx: Prisma.TransactionClient,
  customerId: bigint,
  context: DailyContext,
) {
  let member: Member = await lockMember(tx, context.shopId, customerId);
  const nothing = { expiredPoints: 0, reminders: 0, birthMonthEntered: false, tierReviewed: false };
  if (member.status !== "active") return nothing;

  // Release first, so points whose pending period ended count as spendable today.
  const today = formatIsoDate(localDate(context.now, context.timeZone));
  if (member.pendingPoints > 0) member = await refreshPendingPoints(tx, member, today, context.now);
  const expiry = await applyPointsExpiry(tx, member, context);
  member = expiry.member;
  const birthMonth = await applyBirthMonthEntered(tx, member, context);
  member = birthMonth.member;
  const anniversary = await applyAnniversaryBonus(tx, member, context);
  member = anniversary.member;
  const periodEnded =
    member.tierPeriodEndsAt !== null && member.tierPeriodEndsAt.getTime() <= context.now.getTime();
  // A birthday or anniversary bonus may reach a tier measured in lifetime points today.
  const bonusPosted = birthMonth.entered || anniversary.granted;
  if (periodEnded || (bonusPosted && bonusesMoveTiers(context.config))) {
    ({ member } = await reconcileTier(tx, member, context.config, context.timeZone, context.now));
  }
  return {
    expiredPoints: expiry.expiredPoints,
    reminders: expiry.reminders,
    birthMonthEntered: birthMonth.entered,
    tierReviewed: periodEnded,
  };
}
