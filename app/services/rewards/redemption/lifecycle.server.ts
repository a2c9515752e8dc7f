import type { Member, Prisma, Redemption } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { catalogRewardType } from "~/domain/rewards/index";
import { toMinorUnits } from "~/domain/money";
import type { ProgramConfig } from "~/domain/program/index";
import { recordEvent } from "../../events/outbox.server";
import { claimEventKey } from "../../events/event-keys.server";
import { snapshotOf } from "./hold.server";

// What happens to an issued reward after it was handed out: used at checkout (orders/paid),
// reminded before it expires, expired (daily maintenance). Voiding is in void.server.ts.

/** Only what reward.used needs from Shopify's orders/paid payload. */
const OrderDiscountCodes = z
  .object({
    id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String),
    name: z.string().nullish(),
    discount_codes: z.array(z.object({ code: z.string() }).loose()).default([]),
    // The order's total in the shop currency (`currency` is the shop's; presentment_currency is
    // the buyer's): the dashboard's revenue from orders that used loyalty rewards.
    total_price: z.string().nullish(),
    currency: z.string().length(3).nullish(),
  })
  .loose();

/** total_price in minor units, or null when the payload lacks it or it is not a money amount. */
function orderTotalMinor(order: z.infer<typeof OrderDiscountCodes>): number | null {
  if (!order.total_price || !order.currency) return null;
  try {
    const minor = toMinorUnits(order.total_price, order.currency);
    // The column is a 32-bit integer; an absurd total is left out rather than failing the order.
    return minor >= 0 && minor <= 2_147_483_647 ? minor : null;
  } catch {
    return null;
  }
}

function identity(redemption: Redemption) {
  const { definition } = snapshotOf(redemption);
  return {
    reward_id: redemption.id,
    reward_name: definition.name,
    reward_type: catalogRewardType(definition.type),
  };
}

/**
 * orders/paid step: the order's discount codes that are loyalty rewards become `used` with
 * reward.used, in the webhook's transaction. `state = 'issued'` in the update makes a redelivery
 * (or a code Shopify let through twice) change nothing.
 */
export async function markRewardsUsed(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
  config: ProgramConfig,
  now = new Date(),
): Promise<number> {
  const order = OrderDiscountCodes.parse(payload);
  // Shopify codes are case-insensitive; ours are issued upper case.
  const codes = [...new Set(order.discount_codes.map((d) => d.code.trim().toUpperCase()))];
  if (codes.length === 0) return 0;
  const redemptions = await tx.redemption.findMany({
    where: { shopId, code: { in: codes }, state: "issued" },
    include: { member: true },
  });
  const usedOrderTotalMinor = orderTotalMinor(order);
  let used = 0;
  for (const redemption of redemptions) {
    const { count } = await tx.redemption.updateMany({
      where: { id: redemption.id, shopId, state: "issued" },
      data: { state: "used", usedOrderId: BigInt(order.id), usedOrderTotalMinor, endedAt: now },
    });
    if (count === 0) continue;
    used++;
    await recordEvent(
      tx,
      redemption.member,
      config,
      "reward.used",
      {
        ...identity(redemption),
        code: redemption.code!,
        order_id: order.id,
        order_name: order.name ?? null,
      },
      now,
    );
  }
  return used;
}

export interface RewardLifecycleSummary {
  rewardReminders: number;
  rewardsExpired: number;
}

/**
 * Daily step: reward.expiring once per reward (a claimed event key), N days before an unused code
 * expires (N is the reward's expiryReminderDays), and issued rewards past their expiry become
 * `expired` with reward.expired. Shopify ends the code itself (endsAt was set when it was created),
 * and an expired reward's points are not returned.
 */
export async function runRewardLifecycle(
  shopId: string,
  config: ProgramConfig,
  now: Date,
): Promise<RewardLifecycleSummary> {
  const summary = { rewardReminders: 0, rewardsExpired: 0 };
  const due = await prisma.redemption.findMany({
    where: { shopId, state: "issued", expiresAt: { not: null, lte: addDays(now, 366) } },
    include: { member: true },
    orderBy: { expiresAt: "asc" },
  });
  for (const redemption of due) {
    const expiresAt = redemption.expiresAt!;
    if (expiresAt <= now) {
      if (await expire(redemption, redemption.member, config, now)) summary.rewardsExpired++;
      continue;
    }
    const { definition, valueFormatted } = snapshotOf(redemption);
    const reminderDays = "expiryReminderDays" in definition ? definition.expiryReminderDays : 0;
    if (reminderDays === 0 || !redemption.code) continue;
    if (expiresAt > addDays(now, reminderDays)) continue;
    const sent = await prisma.$transaction(async (tx) => {
      if (!(await claimEventKey(tx, redemption.member, `reward:${redemption.id}:expiring`))) {
        return false;
      }
      await recordEvent(
        tx,
        redemption.member,
        config,
        "reward.expiring",
        {
          ...identity(redemption),
          code: redemption.code!,
          value_formatted: valueFormatted,
          expires_at: expiresAt.toISOString(),
          days_left: Math.max(0, Math.ceil((expiresAt.getTime() - now.getTime()) / 86_400_000)),
        },
        now,
      );
      return true;
    });
    if (sent) summary.rewardReminders++;
  }
  return summary;
}

async function expire(redemption: Redemption, member: Member, config: ProgramConfig, now: Date) {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.redemption.updateMany({
      where: { id: redemption.id, shopId: redemption.shopId, state: "issued" },
      data: { state: "expired", endedAt: now },
    });
    if (count === 0) return false;
    if (redemption.code) {
      await recordEvent(
        tx,
        member,
        config,
        "reward.expired",
        { ...identity(redemption), code: redemption.code, reason: "expired" },
        now,
      );
    }
    return true;
  });
}

function addDays(date: Date, days: number) {
  return new Date(date.getTime() + days * 86_400_000);
}
