import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { ProgramConfigSchema } from "~/domain/program/index";
import { saveReward } from "~/services/rewards/catalog.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { FIVE_OFF } from "../../support/rewards";
import {
  daysAgo,
  deliverTo,
  installedStore,
  runImport,
  type Installed,
} from "../../support/history";

// ADR 0074: the history import values a page of customers at once (set-based: one read of the
// page, one multi-row insert per table) instead of customer by customer through
// reconcileCustomerOrders. Both paths must leave exactly the same ledger, events, deliveries,
// members, reward grants and import counts. One store's bulk results are imported into two shops,
// once each way, and everything they wrote is compared field by field (ids and wall-clock
// instants aside: a row dated "now" by either path is compared as "now").

const DAY = 86_400_000;
const CHOICES = { pointsDays: 120, storeCredit: true, fireFlows: false };

/** A small deterministic random source (mulberry32): the same history every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `count` customers with up to six orders over the last 400 days (inside and outside the points
 * window), big enough to climb tiers and reach goals; partial, repeated and whole refunds,
 * cancellations, customers without email, orders in euros, store credit, registered accounts,
 * guest orders.
 */
function seedVaried({ store }: Installed, count: number, now: number, seed: number) {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  for (let i = 0; i < count; i += 1) {
    const noEmail = i % 9 === 4;
    const customer = store.addCustomer(
      {
        email: noEmail ? null : `varied-${i}@example.com`,
        phone: noEmail ? `+1555555${String(i).padStart(4, "0")}` : null,
        first_name: `V${i}`,
        state: i % 4 === 0 ? "enabled" : "disabled",
      },
      new Date(now - 500 * DAY),
    );
    if (i % 7 === 3) {
      store.adminApi.credit(
        { customerId: customer.id, currencyCode: "USD" },
        500 + pick(5000),
        null,
        new Date(now),
      );
    }
    const orders = pick(7);
    for (let n = 0; n < orders; n += 1) {
      const paid = now - (1 + pick(400)) * DAY - pick(DAY);
      const lines = Array.from({ length: 1 + pick(3) }, (_, l) => ({
        title: `Item ${l}`,
        price: `${5 + pick(260)}.${pick(2) ? "50" : "00"}`,
        quantity: 1 + pick(3),
      }));
      const order = store.addPaidOrder(customer, lines, {
        at: new Date(paid),
        processedAt: new Date(paid),
        ...(pick(15) === 0 ? { currency: "EUR" } : {}),
        ...(pick(4) === 0 ? { shipping: "7.00" } : {}),
      });
      const refunds = pick(5) === 0 ? 2 : pick(3) === 0 ? 1 : 0;
      let at = paid;
      for (let r = 0; r < refunds; r += 1) {
        const line = order.line_items[pick(order.line_items.length)]!;
        const left =
          line.quantity -
          order.refunds
            .flatMap((refund) => refund.refund_line_items)
            .filter((item) => item.line_item_id === line.id)
            .reduce((sum, item) => sum + item.quantity, 0);
        at = Math.min(at + (1 + pick(20)) * DAY, now - 3_600_000);
        if (left > 0) store.refundLineItem(order, line.id, 1 + pick(left), new Date(at));
      }
      if (pick(12) === 0) {
        store.cancelOrder(order, "customer", new Date(Math.min(at + DAY, now - 3_600_000)));
      }
    }
  }
  store.addPaidOrder(null, [{ title: "Tent", price: "500.00", quantity: 1 }], {
    at: daysAgo(3, now),
    processedAt: daysAgo(3, now),
  });
}

const RICH_PROGRAM = {
  pending: { days: 10 },
  tiers: [
    {
      id: "silver",
      name: "Silver",
      threshold: { kind: "spend_365d", minor: 100_00 },
      maintainMinor: 80_00,
      earnMultiplier: 1.5,
      entryBonusPoints: 20,
    },
    {
      id: "gold",
      name: "Gold",
      threshold: { kind: "spend_365d", minor: 500_00 },
      earnMultiplier: 2,
      entryBonusPoints: 50,
    },
  ],
  goals: [
    { id: "second-order", kind: "order_count", count: 2, points: 15 },
    { id: "spend-150", kind: "spend", minor: 150_00, windowDays: 30, points: 40 },
  ],
  bonuses: { tierEntryRewardHandle: "vip-gift" },
};

/** No tiers (no replay), negative balances allowed, nothing held: the other branches. */
const PLAIN_PROGRAM = {
  refunds: { allowNegativeBalance: true },
  goals: [{ id: "third-order", kind: "order_count", count: 3, points: 30 }],
};

/**
 * A second shop for the same store's results, with the same currency, time zone, rewards and
 * program versions (the same instants too: the tier replay dates each version).
 */
async function twinOf(installed: Installed): Promise<Installed> {
  const domain = `twin-${installed.domain}`;
  const shop = await prisma.$transaction((tx) => ensureShop(tx, domain));
  const original = await prisma.shop.findUniqueOrThrow({ where: { id: installed.shopId } });
  await prisma.shop.update({
    where: { id: shop.id },
    data: { currency: original.currency, timeZone: original.timeZone },
  });
  await saveReward(shop.id, { ...FIVE_OFF, handle: "vip-gift", name: "VIP gift" });
  const versions = await prisma.programVersion.findMany({ where: { shopId: installed.shopId } });
  await prisma.programVersion.createMany({
    data: versions.map(({ version, config, createdAt, createdBy }) => ({
      shopId: shop.id,
      version,
      config: config ?? {},
      createdAt,
      createdBy,
    })),
  });
  return { ...installed, shopId: shop.id, domain };
}

async function programmed(shopId: string, program: unknown) {
  await saveReward(shopId, { ...FIVE_OFF, handle: "vip-gift", name: "VIP gift" });
  // The program's first version: the tier replay takes the first version's rules for the whole
  // past, so installedStore's program is replaced rather than followed.
  await prisma.programVersion.update({
    where: { shopId_version: { shopId, version: 1 } },
    data: { config: ProgramConfigSchema.parse(program) },
  });
}

/**
 * Everything an import writes, keyed so two shops compare: members by customer id, a member's
 * id inside keys by its customer id, instants at or after `wallClock` as "now".
 */
async function everything(shopId: string, wallClock: number) {
  const members = await prisma.member.findMany({ where: { shopId } });
  const customerOf = new Map(members.map((m) => [m.id, `c${m.customerId}`]));
  const named = (text: string) =>
    text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
      return customerOf.get(id) ?? "(unknown id)";
    });
  const at = (date: Date | null) =>
    date === null ? null : date.getTime() >= wallClock ? "now" : date.toISOString();
  const [entries, events, grants, keys, orders, run] = await Promise.all([
    prisma.ledgerEntry.findMany({ where: { shopId } }),
    prisma.loyaltyEvent.findMany({ where: { shopId }, include: { deliveries: true } }),
    prisma.rewardGrant.findMany({ where: { shopId } }),
    prisma.scheduledEventKey.findMany({ where: { shopId } }),
    prisma.orderRecord.findMany({ where: { shopId }, orderBy: { orderId: "asc" } }),
    prisma.historyImport.findFirstOrThrow({ where: { shopId }, orderBy: { createdAt: "desc" } }),
  ]);
  const byText = (a: string, b: string) => a.localeCompare(b);
  return {
    members: members
      .map((m) => ({
        ...m,
        id: undefined,
        shopId: undefined,
        createdAt: undefined,
        updatedAt: undefined,
        storeCreditMirrorAt: at(m.storeCreditMirrorAt),
        accountRegisteredAt: at(m.accountRegisteredAt),
        lastActivityAt: at(m.lastActivityAt),
        profileSyncRequestedAt: at(m.profileSyncRequestedAt),
        mergedIntoId: m.mergedIntoId && customerOf.get(m.mergedIntoId),
      }))
      .sort((a, b) => Number(a.customerId - b.customerId)),
    entries: entries
      .map((e) => ({
        ...e,
        id: undefined,
        shopId: undefined,
        memberId: customerOf.get(e.memberId),
        idempotencyKey: named(e.idempotencyKey),
        createdAt: at(e.createdAt),
      }))
      .sort((a, b) => byText(a.idempotencyKey, b.idempotencyKey)),
    events: events
      .map((e) =>
        JSON.stringify(
          {
            memberId: e.memberId && customerOf.get(e.memberId),
            customerId: String(e.customerId),
            type: e.type,
            payload: e.payload,
            snapshot: e.snapshot,
            occurredAt: at(e.occurredAt),
            deliveries: e.deliveries
              .map((d) => `${d.destination} ${d.state} ${d.attempts} ${d.lastError}`)
              .sort(),
          },
          (_, value: unknown) =>
            typeof value === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(value)
              ? at(new Date(value))
              : value,
        ),
      )
      .sort(byText),
    grants: grants
      .map(
        (g) =>
          `${customerOf.get(g.memberId)} ${g.occasion} ${g.rewardHandle} ${g.state} ${named(g.idempotencyKey)}`,
      )
      .sort(byText),
    keys: keys.map((k) => `${customerOf.get(k.memberId)} ${named(k.key)}`).sort(byText),
    orders: orders.map((o) => `${o.orderId} ${o.pointsReleaseOn} ${o.earnsPoints}`),
    run: {
      state: run.state,
      customers: run.customers,
      orders: run.orders,
      customersValued: run.customersValued,
      pointsAwarded: run.pointsAwarded,
      problems: run.problems,
      tierCounts: run.tierCounts,
    },
  };
}

/**
 * The import's "now": after the program was saved (its rules are in force for the whole replay)
 * and strictly before the wall clock the comparison calls "now".
 */
async function afterPrograms() {
  const now = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 5));
  return now;
}

/** The store's results imported into its shop set-based and into a twin one by one. */
async function importBothWays(
  installed: Installed,
  now: number,
  before?: (shop: Installed) => Promise<void>,
) {
  const twin = await twinOf(installed);
  const wallClock = Date.now();
  if (before) {
    await before(installed);
    await before(twin);
  }
  await runImport(twin, CHOICES, { now: new Date(now), oneByOne: true });
  await runImport(installed, CHOICES, { now: new Date(now) });
  const reference = await everything(twin.shopId, wallClock);
  const setBased = await everything(installed.shopId, wallClock);
  return { reference, setBased };
}

describe("history import: the set-based valuing writes what the one-by-one path writes", () => {
  it("tiers with multipliers and entry bonuses and rewards, goals, held points, refunds, cancellations", async () => {
    const installed = await installedStore("set-based-rich");
    await programmed(installed.shopId, RICH_PROGRAM);
    const now = await afterPrograms();
    seedVaried(installed, 120, now, 18);

    const { reference, setBased } = await importBothWays(installed, now);

    // The history is varied enough to reach every branch being compared.
    const kinds = new Set(reference.entries.map((e) => `${e.kind} ${e.source}`));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        "bonus goal",
        "bonus tier_bonus",
        "clawback order_refund",
        "earn purchase",
        "reversal order_cancelled",
      ]),
    );
    expect(reference.events.some((e) => e.includes('"type":"tier.updated"'))).toBe(true);
    expect(reference.grants.length).toBeGreaterThan(0);
    expect(reference.members.some((m) => m.pendingPoints > 0)).toBe(true);
    expect(reference.members.some((m) => m.tierId === "gold")).toBe(true);
    expect(reference.members.some((m) => m.storeCreditMinor > 0)).toBe(true);
    expect(reference.run.problems).toBeGreaterThan(0);

    expect(setBased.run).toEqual(reference.run);
    expect(setBased.members).toEqual(reference.members);
    expect(setBased.entries).toEqual(reference.entries);
    expect(setBased.events).toEqual(reference.events);
    expect(setBased.grants).toEqual(reference.grants);
    expect(setBased.keys).toEqual(reference.keys);
    expect(setBased.orders).toEqual(reference.orders);
  });

  it("no tiers, negative balances allowed, nothing held", async () => {
    const installed = await installedStore("set-based-plain");
    await programmed(installed.shopId, PLAIN_PROGRAM);
    const now = await afterPrograms();
    seedVaried(installed, 60, now, 7);

    const { reference, setBased } = await importBothWays(installed, now);

    expect(reference.entries.some((e) => e.source === "goal")).toBe(true);
    expect(reference.members.every((m) => m.tierId === null)).toBe(true);
    expect(setBased).toEqual(reference);
  });

  it("customers a webhook brought first go the one-by-one way within the same pages", async () => {
    const installed = await installedStore("set-based-mixed");
    await programmed(installed.shopId, RICH_PROGRAM);
    const now = await afterPrograms();
    seedVaried(installed, 80, now, 99);
    // Some customers' recent orders were delivered by webhook before the import.
    const delivered = [...installed.store.customers.values()]
      .filter((_, i) => i % 5 === 1)
      .flatMap((c) => installed.store.ordersOf(c.id).slice(0, 1));
    expect(delivered.length).toBeGreaterThan(5);

    const { reference, setBased } = await importBothWays(installed, now, async (shop) => {
      for (const order of delivered) await deliverTo(shop, "orders/paid", order);
    });

    expect(reference.entries.some((e) => e.createdAt === "now" && e.kind === "earn")).toBe(true);
    expect(setBased).toEqual(reference);
  });
});
