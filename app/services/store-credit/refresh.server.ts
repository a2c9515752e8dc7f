import type { Member, Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { storeCreditMoney } from "~/domain/money";
import type { AdminCall } from "~/integrations/shopify/rewards.server";
import { storeCreditBalance } from "~/integrations/shopify/store-credit.server";
import { recordEvent } from "../events/outbox.server";
import { shopMoneyLocale } from "../shops/money-locale.server";
import { lockMember } from "../members/repository.server";
import { programInForce } from "../program/versions.server";

/** Members read per page by the shop-wide reconciliation. */
const PAGE = 100;

export interface RefreshReport {
  checked: number;
  credited: number;
  debited: number;
  /** The app's own credit was in flight, or the mirror moved while Shopify was read: next time. */
  skipped: number;
}

/**
 * Brings members' store credit mirrors in line with Shopify's balances (issue 18): credit spent
 * at checkout (`orderId`: the paid order that used it), or issued or removed in Shopify admin or
 * by another app, becomes store_credit.debited / store_credit.credited with its source, and the
 * Klaviyo properties follow from the mirror. Shopify's balance is read outside any transaction;
 * a member whose mirror the app wrote meanwhile (cashback sent, a store credit reward) or whose
 * cashback is still in flight is left for the next reconciliation, so the app's own credit is
 * never announced twice or as someone else's.
 */
export async function refreshStoreCredit(
  shopId: string,
  api: AdminCall,
  customerIds: readonly bigint[],
  cause: { orderId: bigint | null } = { orderId: null },
): Promise<RefreshReport> {
  const report: RefreshReport = { checked: 0, credited: 0, debited: 0, skipped: 0 };
  const shop = await prisma.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { currency: true },
  });
  const currency = shop.currency;
  for (const customerId of customerIds) {
    const readAt = new Date();
    if (await inFlight(prisma, shopId, customerId)) {
      report.skipped += 1;
      continue;
    }
    const balance = await storeCreditBalance(api, `gid://shopify/Customer/${customerId}`, currency);
    report.checked += 1;
    const outcome = await prisma.$transaction(async (tx) => {
      const member = await lockMember(tx, shopId, customerId).catch(() => null);
      if (!member || member.status !== "active") return "skipped" as const;
      const movedMeanwhile =
        (member.storeCreditMirrorAt && member.storeCreditMirrorAt >= readAt) ||
        (await inFlight(tx, shopId, customerId));
      if (movedMeanwhile) return "skipped" as const;
      return settle(tx, member, { balance, currency, orderId: cause.orderId, now: new Date() });
    });
    if (outcome !== "same") report[outcome] += 1;
  }
  return report;
}

/** Every member of the shop with a store credit mirror, a page at a time (the daily run). */
export async function reconcileShopStoreCredit(shopId: string, api: AdminCall) {
  const total: RefreshReport = { checked: 0, credited: 0, debited: 0, skipped: 0 };
  let after: string | undefined;
  for (;;) {
    const page = await prisma.member.findMany({
      where: {
        shopId,
        status: "active",
        storeCreditCurrency: { not: null },
        ...(after ? { id: { gt: after } } : {}),
      },
      orderBy: { id: "asc" },
      take: PAGE,
      select: { id: true, customerId: true },
    });
    if (page.length === 0) return total;
    const report = await refreshStoreCredit(
      shopId,
      api,
      page.map((m) => m.customerId),
    );
    for (const key of Object.keys(total) as (keyof RefreshReport)[]) total[key] += report[key];
    after = page[page.length - 1]!.id;
  }
}

/** Cashback the app has sent or is about to send: Shopify's balance is about to move. */
async function inFlight(db: Prisma.TransactionClient, shopId: string, customerId: bigint) {
  const rows = await db.storeCreditTransaction.count({
    where: { shopId, customerId, state: { in: ["pending", "sending"] } },
  });
  return rows > 0;
}

async function settle(
  tx: Prisma.TransactionClient,
  member: Member,
  seen: { balance: number; currency: string; orderId: bigint | null; now: Date },
): Promise<"credited" | "debited" | "same"> {
  const { balance, currency, orderId, now } = seen;
  const mirror = member.storeCreditCurrency === currency ? member.storeCreditMinor : 0;
  const difference = balance - mirror;
  if (difference === 0 && member.storeCreditCurrency === currency) return "same";
  const updated = await tx.member.update({
    where: { id: member.id },
    data: { storeCreditMinor: balance, storeCreditCurrency: currency, storeCreditMirrorAt: now },
  });
  if (difference === 0) return "same";
  const amount = Math.abs(difference);
  const money = storeCreditMoney(
    amount,
    balance,
    currency,
    await shopMoneyLocale(tx, member.shopId),
  );
  const { config } = await programInForce(tx, member.shopId);
  if (difference > 0) {
    await recordEvent(tx, updated, config, "store_credit.credited", {
      ...money,
      source: "outside_app",
      expires_at: null,
    });
    return "credited";
  }
  await recordEvent(tx, updated, config, "store_credit.debited", {
    ...money,
    order_id: orderId?.toString() ?? null,
    source: orderId ? "order" : "outside_app",
  });
  return "debited";
}
