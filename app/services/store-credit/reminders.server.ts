import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { currencySymbol, formatMoney } from "~/domain/money";
import type { ProgramConfig } from "~/domain/program";
import { logger } from "~/lib/logger.server";
import { expiringAmount, storeCreditReminderDays } from "~/domain/store-credit";
import { claimEventKey } from "../events/event-keys.server";
import { lockMember } from "../members/repository.server";
import { recordEvent } from "../events/outbox.server";
import { shopMoneyLocale } from "../shops/money-locale.server";
import { snapshotOf } from "../rewards/redemption/hold.server";

const DAY_MS = 86_400_000;

/** One credit the app gave that expires: a cashback or manual credit, or a store credit reward. */
type ExpiringCredit = {
  /** The event key claimed with the reminder: one reminder per credit, ever. */
  key: string;
  id: string;
  shopId: string;
  customerId: bigint;
  creditMinor: number;
  currency: string;
  expiresAt: Date;
  /** What refunds took back from it since (cashback of a refunded order); 0 for the others. */
  takenBack: (tx: Prisma.TransactionClient) => Promise<number>;
};

/**
 * The daily run's store_credit.expiring reminders (ADR 0043): one per credit the app gave —
 * applied cashback or manual credit, or an issued store credit reward — whose expiry is within
 * `reminderDaysBefore` days, exactly once per credit: its event key is claimed in the event's
 * transaction, so a retried or doubled run sends nothing more. A credit that fails is logged and
 * counted; the others go on.
 */
export async function sendStoreCreditReminders(
  shopId: string,
  config: ProgramConfig,
  now: Date,
): Promise<{ sent: number; failed: number }> {
  const outcome = { sent: 0, failed: 0 };
  const daysBefore = config.storeCredit.reminderDaysBefore;
  if (daysBefore <= 0) return outcome;
  const window = { gt: now, lte: new Date(now.getTime() + daysBefore * DAY_MS) };
  const credits = [
    ...(await transactionCredits(shopId, window)),
    ...(await rewardCredits(shopId, window)),
  ].sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || a.id.localeCompare(b.id));
  for (const credit of credits) {
    const remainingDays = storeCreditReminderDays(credit.expiresAt, now, daysBefore);
    if (remainingDays === null) continue;
    try {
      if (await remind(credit, remainingDays, config, now)) outcome.sent += 1;
    } catch (error) {
      outcome.failed += 1;
      logger.error("store credit reminder failed", {
        shopId,
        creditId: credit.id,
        error: (error as Error).message,
      });
    }
  }
  return outcome;
}

type Window = { gt: Date; lte: Date };

async function transactionCredits(shopId: string, expiresAt: Window): Promise<ExpiringCredit[]> {
  const rows = await prisma.storeCreditTransaction.findMany({
    where: { shopId, kind: "credit", state: "applied", expiresAt },
  });
  return rows.map((row) => ({
    key: `store-credit:${row.id}:expiring`,
    id: row.id,
    shopId,
    customerId: row.customerId,
    creditMinor: row.appliedMinor ?? row.amountMinor,
    currency: row.currency,
    expiresAt: row.expiresAt!,
    takenBack: async (tx) => {
      if (!row.orderId) return 0;
      const debits = await tx.storeCreditTransaction.aggregate({
        where: { shopId, orderId: row.orderId, kind: "debit", state: "applied" },
        _sum: { appliedMinor: true },
      });
      return debits._sum.appliedMinor ?? 0;
    },
  }));
}

/**
 * Store credit rewards with an expiry (creditExpiryDays): Shopify was given the expiry with the
 * credit, and the shopper gets the same reminder as for cashback. They have no code, so the
 * reward lifecycle's reward.expiring (about codes) does not cover them.
 */
async function rewardCredits(shopId: string, expiresAt: Window): Promise<ExpiringCredit[]> {
  const rows = await prisma.redemption.findMany({
    where: {
      shopId,
      state: "issued",
      expiresAt,
      valueMinor: { gt: 0 },
      currency: { not: null },
    },
    include: { member: { select: { customerId: true } } },
  });
  return rows
    .filter((row) => snapshotOf(row).definition.type === "store_credit")
    .map((row) => ({
      key: `store-credit-reward:${row.id}:expiring`,
      id: row.id,
      shopId,
      customerId: row.member.customerId,
      creditMinor: row.valueMinor!,
      currency: row.currency!,
      expiresAt: row.expiresAt!,
      takenBack: async () => 0,
    }));
}

async function remind(
  credit: ExpiringCredit,
  remainingDays: number,
  config: ProgramConfig,
  now: Date,
): Promise<boolean> {
  const { shopId } = credit;
  return prisma.$transaction(async (tx) => {
    const member = await lockMember(tx, shopId, credit.customerId);
    if (member.status !== "active") return false;
    const balance = member.storeCreditCurrency === credit.currency ? member.storeCreditMinor : 0;
    const amount = expiringAmount(credit.creditMinor, await credit.takenBack(tx), balance);
    // Nothing left of it (spent or taken back): nothing to remind of today.
    if (amount <= 0) return false;
    if (!(await claimEventKey(tx, member, credit.key))) return false;
    const locale = await shopMoneyLocale(tx, shopId);
    await recordEvent(
      tx,
      member,
      config,
      "store_credit.expiring",
      {
        amount_minor: amount,
        currency: credit.currency,
        amount_formatted: formatMoney(amount, credit.currency, locale),
        symbol: currencySymbol(credit.currency, locale),
        expires_at: credit.expiresAt.toISOString(),
        remaining_days: remainingDays,
      },
      now,
    );
    return true;
  });
}
