import type { StoreCreditTransaction } from "@prisma/client";
import prisma from "~/db.server";
import { currencySymbol, formatMoney } from "~/domain/money";
import type { ProgramConfig } from "~/domain/program";
import { logger } from "~/lib/logger.server";
import { expiringAmount, storeCreditReminderDays } from "~/domain/store-credit";
import { claimEventKey } from "../events/event-keys.server";
import { lockMember } from "../members/repository.server";
import { recordEvent } from "../events/outbox.server";
import { shopMoneyLocale } from "../shops/money-locale.server";

const DAY_MS = 86_400_000;

/**
 * The daily run's store_credit.expiring reminders (ADR 0043): one per applied cashback credit
 * whose expiry is within `reminderDaysBefore` days, exactly once per credit — the event key
 * `store-credit:<row>:expiring` is claimed in the event's transaction, so a retried or doubled
 * run sends nothing more. A credit that fails is logged and counted; the others go on.
 */
export async function sendStoreCreditReminders(
  shopId: string,
  config: ProgramConfig,
  now: Date,
): Promise<{ sent: number; failed: number }> {
  const outcome = { sent: 0, failed: 0 };
  const daysBefore = config.storeCredit.reminderDaysBefore;
  if (daysBefore <= 0) return outcome;
  const credits = await prisma.storeCreditTransaction.findMany({
    where: {
      shopId,
      kind: "credit",
      state: "applied",
      expiresAt: { gt: now, lte: new Date(now.getTime() + daysBefore * DAY_MS) },
    },
    orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
  });
  for (const credit of credits) {
    const remainingDays = storeCreditReminderDays(credit.expiresAt!, now, daysBefore);
    if (remainingDays === null) continue;
    try {
      if (await remind(credit, remainingDays, config, now)) outcome.sent += 1;
    } catch (error) {
      outcome.failed += 1;
      logger.error("store credit reminder failed", {
        shopId,
        transactionId: credit.id,
        error: (error as Error).message,
      });
    }
  }
  return outcome;
}

async function remind(
  credit: StoreCreditTransaction,
  remainingDays: number,
  config: ProgramConfig,
  now: Date,
): Promise<boolean> {
  const { shopId } = credit;
  return prisma.$transaction(async (tx) => {
    const member = await lockMember(tx, shopId, credit.customerId);
    if (member.status !== "active") return false;
    const takenBack = credit.orderId
      ? await tx.storeCreditTransaction.aggregate({
          where: { shopId, orderId: credit.orderId, kind: "debit", state: "applied" },
          _sum: { appliedMinor: true },
        })
      : null;
    const balance = member.storeCreditCurrency === credit.currency ? member.storeCreditMinor : 0;
    const amount = expiringAmount(
      credit.appliedMinor ?? credit.amountMinor,
      takenBack?._sum.appliedMinor ?? 0,
      balance,
    );
    // Nothing left of it (spent or taken back): nothing to remind of today.
    if (amount <= 0) return false;
    if (!(await claimEventKey(tx, member, `store-credit:${credit.id}:expiring`))) return false;
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
        expires_at: credit.expiresAt!.toISOString(),
        remaining_days: remainingDays,
      },
      now,
    );
    return true;
  });
}
