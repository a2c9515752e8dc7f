import type { Member } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { spendablePoints } from "~/domain/pending/index";
import { nextTierProgress, spendInWindow } from "~/domain/tiers/index";
import { LoyaltyError } from "../errors";
import { programInForce } from "../program/versions.server";
import { spendRecordsNow } from "../tiers/facts.server";

export const LEDGER_PAGE_SIZE = 20;

/** The member of this shop with that id, or a member_not_found error (never another shop's). */
export async function memberOfShop(shopId: string, memberId: string): Promise<Member> {
  const member = z.uuid().safeParse(memberId).success
    ? await prisma.member.findFirst({ where: { id: memberId, shopId } })
    : null;
  if (!member) throw new LoyaltyError("member_not_found", "There is no such member in this shop");
  return member;
}

/**
 * What the admin's member page shows: balances (held points are part of the balance but not
 * spendable yet), tier with progress to the next one, birthday, and one page of the ledger.
 */
export async function memberProfile(
  shopId: string,
  memberId: string,
  ledgerBefore: string | undefined,
  now: Date,
) {
  const member = await memberOfShop(shopId, memberId);
  const [{ config }, shop, ledger] = await Promise.all([
    programInForce(prisma, shopId),
    prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } }),
    ledgerPage(member, ledgerBefore),
  ]);
  const tier = config.tiers.find((t) => t.id === member.tierId) ?? null;
  const spend = await spendRecordsNow(prisma, member, now);
  const progress = nextTierProgress(
    config.tiers,
    member.tierId,
    { spend, lifetimePoints: member.lifetimeEarned },
    now,
  );
  const lastChange = await lastTierChange(shopId, member.id);
  const target =
    progress?.tier.threshold.kind === "spend_365d"
      ? progress.tier.threshold.minor
      : (progress?.tier.threshold.points ?? 0);
  const remaining =
    progress?.remaining.kind === "spend_365d"
      ? progress.remaining.minor
      : (progress?.remaining.points ?? 0);
  return {
    member: {
      id: member.id,
      customerId: member.customerId.toString(),
      name: [member.firstName, member.lastName].filter(Boolean).join(" ") || null,
      email: member.email,
      status: member.status,
      pointsBalance: member.pointsBalance,
      pendingPoints: member.pendingPoints,
      availablePoints: spendablePoints(member.pointsBalance, member.pendingPoints),
      lifetimeEarned: member.lifetimeEarned,
      lifetimeSpent: member.lifetimeSpent,
      joinedAt: member.createdAt.toISOString(),
      lastActivityAt: member.lastActivityAt?.toISOString() ?? null,
      birthday: member.birthMonth
        ? { month: member.birthMonth, day: member.birthDay, year: member.birthYear }
        : null,
      // The mirror of Shopify's balance (ADR 0030); none until the first credit.
      storeCredit: member.storeCreditCurrency
        ? { balanceMinor: member.storeCreditMinor, currency: member.storeCreditCurrency }
        : null,
    },
    tier: {
      id: tier?.id ?? null,
      name: tier?.name ?? null,
      enteredAt: tier ? (member.tierEnteredAt?.toISOString() ?? null) : null,
      periodEndsAt: tier ? (member.tierPeriodEndsAt?.toISOString() ?? null) : null,
      lockedUntil: member.tierLockedUntil?.toISOString() ?? null,
      // What tiers count: the goods of the last 365 days, refunds and cancellations taken off.
      spendMinor: config.tiers.some((t) => t.threshold.kind === "spend_365d")
        ? spendInWindow(spend, now)
        : null,
      lastChange,
      next: progress
        ? {
            name: progress.tier.name,
            unit: progress.remaining.kind === "spend_365d" ? "money" : "points",
            target,
            remaining,
            percent: target === 0 ? 100 : Math.floor((100 * (target - remaining)) / target),
          }
        : null,
    },
    tiers: config.tiers.map((t) => ({ id: t.id, name: t.name })),
    currency: shop.currency,
    ledger,
  };
}

const LedgerCursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

/** Newest first, by keyset on (createdAt, id): the (shopId, memberId, createdAt) index serves it. */
async function ledgerPage(member: Member, before: string | undefined) {
  const cursor = decodeLedgerCursor(before);
  const rows = await prisma.ledgerEntry.findMany({
    where: {
      shopId: member.shopId,
      memberId: member.id,
      ...(cursor
        ? {
            OR: [
              { createdAt: { lt: cursor.createdAt } },
              { createdAt: cursor.createdAt, id: { lt: cursor.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LEDGER_PAGE_SIZE + 1,
  });
  const page = rows.slice(0, LEDGER_PAGE_SIZE);
  const orderIds = [...new Set(page.flatMap((row) => (row.orderId ? [row.orderId] : [])))];
  const orders = orderIds.length
    ? await prisma.orderRecord.findMany({
        where: { shopId: member.shopId, orderId: { in: orderIds } },
        select: { orderId: true, name: true },
      })
    : [];
  const orderName = new Map(orders.map((order) => [order.orderId, order.name]));
  const last = page[page.length - 1];
  return {
    entries: page.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      points: row.points,
      balanceAfter: row.balanceAfter,
      kind: row.kind,
      source: row.source,
      note: noteOf(row.detail),
      orderId: row.orderId?.toString() ?? null,
      orderName: row.orderId ? (orderName.get(row.orderId) ?? null) : null,
    })),
    nextCursor:
      last && rows.length > LEDGER_PAGE_SIZE
        ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString("base64url")
        : null,
    isFirstPage: cursor === null,
  };
}

function decodeLedgerCursor(raw: string | undefined) {
  if (!raw) return null;
  try {
    const parsed = LedgerCursorSchema.safeParse(
      JSON.parse(Buffer.from(raw, "base64url").toString()),
    );
    return parsed.success ? { createdAt: new Date(parsed.data[0]), id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

/** The merchant's note of a manual adjustment or a Flow action run, if the entry has one. */
function noteOf(detail: unknown): string | null {
  const note = (detail as { note?: unknown } | null)?.note;
  return typeof note === "string" && note !== "" ? note : null;
}

/** The member's latest tier change as the admin explains it: from, to, when and why. */
async function lastTierChange(shopId: string, memberId: string) {
  const event = await prisma.loyaltyEvent.findFirst({
    where: { shopId, memberId, type: "tier.updated" },
    orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
    select: { occurredAt: true, payload: true },
  });
  if (!event) return null;
  const payload = event.payload as {
    change: string;
    reason?: string;
    previous_tier: string | null;
    current_tier: string | null;
  };
  return {
    at: event.occurredAt.toISOString(),
    change: payload.change,
    // Events from before reasons were recorded say nothing more than their change.
    reason: payload.reason ?? null,
    from: payload.previous_tier,
    to: payload.current_tier,
  };
}
