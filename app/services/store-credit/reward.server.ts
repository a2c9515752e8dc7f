import type { Member, Prisma, Redemption } from "@prisma/client";
import { storeCreditMoney } from "~/domain/money";
import type { ProgramConfig } from "~/domain/program";
import { recordEvent } from "../events/outbox.server";
import { shopMoneyLocale } from "../shops/money-locale.server";

/**
 * A store credit reward was issued (ADR 0013): the member's mirror takes Shopify's balance after
 * the credit, and store_credit.credited (source reward) goes out with it, in the caller's
 * transaction (the one that marks the redemption issued).
 */
export async function recordStoreCreditReward(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  redemption: Redemption,
  balanceAfterMinor: number,
  now: Date,
) {
  const currency = redemption.currency!;
  const amount = redemption.valueMinor ?? 0;
  const updated = await tx.member.update({
    where: { id: member.id },
    data: {
      storeCreditMinor: balanceAfterMinor,
      storeCreditCurrency: currency,
      storeCreditMirrorAt: now,
    },
  });
  if (amount <= 0) return;
  await recordEvent(
    tx,
    updated,
    config,
    "store_credit.credited",
    {
      ...storeCreditMoney(
        amount,
        balanceAfterMinor,
        currency,
        await shopMoneyLocale(tx, member.shopId),
      ),
      source: "reward",
      expires_at: redemption.expiresAt?.toISOString() ?? null,
    },
    now,
  );
}
