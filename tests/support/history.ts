import { expect } from "vitest";
import prisma from "~/db.server";
import { processDueDeliveries } from "~/jobs/workers/webhooks/claims.worker";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { saveProgram } from "~/services/program/versions.server";
import { advanceHistoryImport, type RunOptions } from "~/services/history-import/run.server";
import { startHistoryImport, type HistoryChoices } from "~/services/history-import/start.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { createTestAdminApi } from "../../sandbox/shopify/admin-graphql/testing";
import { SandboxStore } from "../../sandbox/shopify/store";
import { standInAdmin } from "./stand-in-admin";
import { callAction, webhook } from "./webhooks";

const DAY = 86_400_000;
export const daysAgo = (days: number, now = Date.now()) => new Date(now - days * DAY);

let stores = 0;

/**
 * A store of its own (its own domain and id range), installed: the shop row and a program with
 * 1 point per dollar and two spend tiers, Silver at $100 and Gold at $500 over 365 days.
 */
export async function installedStore(name: string, currencyCode = "USD") {
  stores += 1;
  const domain = `${name}-${stores}.myshopify.com`;
  const store = new SandboxStore(
    {
      id: stores,
      name,
      domain,
      email: `owner@${domain}`,
      currencyCode,
      ianaTimezone: "UTC",
      countryCode: "US",
      plan: "Shopify",
    },
    500_000_000 + stores * 10_000_000,
  );
  const shop = await prisma.$transaction(async (tx) => {
    const created = await ensureShop(tx, domain);
    await tx.shop.update({ where: { id: created.id }, data: { currency: currencyCode } });
    await saveProgram(
      tx,
      created.id,
      {
        tiers: [tier("silver", "Silver", 10_000), tier("gold", "Gold", 50_000)],
      },
      null,
    );
    return created;
  });
  const api = createTestAdminApi({
    store,
    bucket: { maxAvailable: 1_000_000, restoreRate: 100_000 },
  });
  return { store, shopId: shop.id, domain, api, admin: standInAdmin(store) };
}

function tier(id: string, name: string, minor: number) {
  return {
    id,
    name,
    threshold: { kind: "spend_365d", minor },
    earnMultiplier: 1,
    entryBonusPoints: 0,
  };
}

export type Installed = Awaited<ReturnType<typeof installedStore>>;

/**
 * Runs an import as its job would, one run after another, with Shopify finishing the bulk
 * operations whenever the import waits for them. `options` replace the run's defaults (a failing
 * download, a small time budget).
 */
export async function runImport(
  installed: Installed,
  choices: HistoryChoices,
  options: Partial<RunOptions> = {},
) {
  const { id } = await startHistoryImport(installed.shopId, choices);
  await driveImport(installed, id, options);
  return id;
}

export async function driveImport(
  installed: Installed,
  importId: string,
  options: Partial<RunOptions> = {},
) {
  for (let run = 0; run < 1000; run += 1) {
    const next = await advanceHistoryImport(importId, {
      admin: installed.admin,
      fetchFile: installed.api.fetch,
      ...options,
    });
    if (next.kind === "finished") return;
    if (next.kind === "later") await installed.store.adminApi.bulk.completeAll();
  }
  throw new Error("the import did not finish in 1000 runs");
}

export async function importRow(importId: string) {
  return prisma.historyImport.findUniqueOrThrow({
    where: { id: importId },
    include: { problemLines: { orderBy: [{ file: "asc" }, { line: "asc" }] } },
  });
}

export function membersOf(shopId: string) {
  return prisma.member.findMany({ where: { shopId }, orderBy: { customerId: "asc" } });
}

export async function memberByCustomer(shopId: string, customerId: number) {
  return prisma.member.findUniqueOrThrow({
    where: { shopId_customerId: { shopId, customerId: BigInt(customerId) } },
  });
}

/** Everything the import could have written, to compare a rerun or a resumed import with. */
export async function shopState(shopId: string) {
  const [members, entries, events, orders, refunds] = await Promise.all([
    prisma.member.findMany({
      where: { shopId },
      orderBy: { customerId: "asc" },
      select: {
        customerId: true,
        pointsBalance: true,
        lifetimeEarned: true,
        tierId: true,
        storeCreditMinor: true,
        email: true,
      },
    }),
    prisma.ledgerEntry.findMany({
      where: { shopId },
      orderBy: { idempotencyKey: "asc" },
      select: { idempotencyKey: true, points: true, createdAt: true },
    }),
    prisma.loyaltyEvent.groupBy({ by: ["type"], where: { shopId }, _count: true }),
    prisma.orderRecord.count({ where: { shopId } }),
    prisma.refundRecord.count({ where: { shopId } }),
  ]);
  return {
    members,
    entries,
    events: Object.fromEntries(events.map((e) => [e.type, e._count])),
    orders,
    refunds,
  };
}

/** The member's cached balance is the sum of its entries. */
export async function expectBalancesMatchLedger(shopId: string) {
  for (const member of await membersOf(shopId)) {
    const sum = await prisma.ledgerEntry.aggregate({
      where: { memberId: member.id },
      _sum: { points: true },
    });
    expect(member.pointsBalance).toBe(sum._sum.points ?? 0);
  }
}

/**
 * A shop's state without its ids (customer and order ids differ between two stores seeded alike):
 * members by email, entries by points and date, events by type. Two imports of the same history
 * must give equal values.
 */
export async function comparableState(shopId: string) {
  const members = await prisma.member.findMany({
    where: { shopId },
    include: { ledgerEntries: true },
  });
  const events = await prisma.loyaltyEvent.groupBy({
    by: ["type"],
    where: { shopId },
    _count: true,
  });
  return {
    members: members
      .map((m) => ({
        email: m.email,
        pointsBalance: m.pointsBalance,
        lifetimeEarned: m.lifetimeEarned,
        tierId: m.tierId,
        entries: m.ledgerEntries
          .map((e) => `${e.kind} ${e.points} ${e.createdAt.toISOString()}`)
          .sort(),
      }))
      .sort((a, b) => String(a.email).localeCompare(String(b.email))),
    events: Object.fromEntries(events.map((e) => [e.type, e._count])),
    orders: await prisma.orderRecord.count({ where: { shopId } }),
    refunds: await prisma.refundRecord.count({ where: { shopId } }),
  };
}

let webhooks = 0;

/** Shopify delivers an order topic to the store's app (signed, through the route); the worker applies it. */
export async function deliverTo(installed: Installed, topic: string, payload: unknown) {
  webhooks += 1;
  const response = await callAction(
    ordersAction,
    webhook("/webhooks/orders", topic, payload, {
      shop: installed.domain,
      webhookId: `${installed.domain}-${webhooks}`,
    }),
  );
  expect(response.status).toBe(200);
  const drain = { batchSize: 10, concurrency: 1, loops: 1, leaseSeconds: 60, idleMs: 0 };
  while ((await processDueDeliveries(drain)) > 0);
}
