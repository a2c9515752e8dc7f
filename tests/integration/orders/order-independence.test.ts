import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { processDueDeliveries } from "~/jobs/workers/webhooks/claims.worker";
import { action as customersAction } from "~/routes/webhooks.customers";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { saveProgram } from "~/services/program/versions.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { standInAdmin } from "../../support/stand-in-admin";
import {
  deliveriesOf,
  storeArb,
  type CustomerSpec,
  type Delivery,
  type OrderSpec,
  type StoreSpec,
} from "../../support/store-facts";
import { callAction, webhook } from "../../support/webhooks";

// Engine truth (ADR 0054): the same facts give the same state whatever order and batches they
// arrive in. Stores of a few customers with paid, edited, partly and fully refunded, cancelled
// and duplicated orders (real timestamps over the last ~500 days), customers created, enabled and
// merged, are delivered once in the order things happened, one by one, and once shuffled, through
// the real webhook routes and the worker's claims in random batches and transaction sizes. Every
// member must end with the same points, lifetime points, pending points, tier and tier dates, and
// each order with the same net points; every tier.updated must describe a change the stored tier
// really went through. Goals are in the program too: their bonuses must follow the same facts.
// Seeds that once failed are kept below as fixed cases.

const admin = vi.hoisted(() => ({ current: null as null | unknown }));
vi.mock("~/integrations/shopify/offline-admin.server", () => ({
  offlineAdmin: async () => {
    if (!admin.current) throw new Error("no offline session for the shop");
    return admin.current;
  },
}));

const PROGRAM = {
  bonuses: { welcomePoints: 25 },
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
      threshold: { kind: "spend_365d", minor: 300_00 },
      earnMultiplier: 2,
      entryBonusPoints: 50,
    },
  ],
  // Goals (issue #23): owed on the facts, so the same facts pay them the same.
  goals: [
    { id: "second-order", kind: "order_count", count: 2, points: 15 },
    { id: "spend-150", kind: "spend", minor: 150_00, windowDays: 30, points: 40 },
  ],
};

async function send(shop: string, delivery: Delivery) {
  const orders = !delivery.topic.startsWith("customers/");
  const response = await callAction(
    orders ? ordersAction : customersAction,
    webhook(orders ? "/webhooks/orders" : "/webhooks/customers", delivery.topic, delivery.payload, {
      shop,
      webhookId: delivery.webhookId,
    }),
  );
  expect(response.status).toBe(200);
}

async function drain(batches: { size: number; transaction: number; concurrency: number }[]) {
  for (let round = 0; round < 1_000; round++) {
    const batch = batches[round % batches.length]!;
    const claimed = await processDueDeliveries({
      batchSize: batch.size,
      transactionSize: batch.transaction,
      concurrency: batch.concurrency,
      loops: 1,
      leaseSeconds: 60,
      idleMs: 0,
    });
    if (claimed === 0) return;
  }
}

let shops = 0;

async function newShop(label: string) {
  shops += 1;
  const domain = `independence-${shops}-${label}.myshopify.com`;
  const shop = await prisma.$transaction((tx) => ensureShop(tx, domain));
  await prisma.shop.update({ where: { id: shop.id }, data: { timeZone: "America/New_York" } });
  await prisma.$transaction((tx) => saveProgram(tx, shop.id, PROGRAM, "test"));
  return { domain, shopId: shop.id };
}

/** Everything about the shop's members that must not depend on the arrival order. */
async function stateOf(shopId: string, customerIds: bigint[]) {
  const members = await prisma.member.findMany({
    where: { shopId, customerId: { in: customerIds } },
    orderBy: { customerId: "asc" },
  });
  const byId = new Map(members.map((m) => [m.id, m.customerId]));
  const perOrder = await prisma.ledgerEntry.groupBy({
    by: ["orderId"],
    where: { shopId, orderId: { not: null } },
    _sum: { points: true },
    orderBy: { orderId: "asc" },
  });
  const undelivered = await prisma.webhookDelivery.findMany({
    where: { shopId, processedAt: null },
    select: { topic: true, lastError: true },
  });
  return {
    undelivered,
    members: members.map((m) => ({
      customerId: m.customerId,
      status: m.status,
      mergedInto: m.mergedIntoId ? byId.get(m.mergedIntoId) : null,
      pointsBalance: m.pointsBalance,
      pendingPoints: m.pendingPoints,
      lifetimeEarned: m.lifetimeEarned,
      lifetimeSpent: m.lifetimeSpent,
      tierId: m.tierId,
      tierEnteredAt: m.tierEnteredAt,
      tierPeriodEndsAt: m.tierPeriodEndsAt,
      accountRegistered: m.accountRegisteredAt !== null,
    })),
    perOrder: perOrder.map((row) => [row.orderId, row._sum.points]),
  };
}

/**
 * Each member's tier.updated events chain: every one starts where the previous one ended, and
 * the last one ends on the tier the member holds (a customer merged away keeps no tier and is
 * announced nothing more: its history ends with the merge).
 */
async function expectTierEventsChain(shopId: string) {
  const members = await prisma.member.findMany({ where: { shopId, status: "active" } });
  for (const member of members) {
    const events = await prisma.loyaltyEvent.findMany({
      where: { shopId, memberId: member.id, type: "tier.updated" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    let tier: string | null = null;
    for (const event of events) {
      const payload = event.payload as {
        previous_tier: string | null;
        current_tier: string | null;
        change: string;
      };
      if (payload.change !== "spending_extend") expect(payload.previous_tier).toBe(tier);
      tier = payload.current_tier;
    }
    const name = PROGRAM.tiers.find((t) => t.id === member.tierId)?.name ?? null;
    expect(tier).toBe(name);
    const sum = await prisma.ledgerEntry.aggregate({
      where: { memberId: member.id },
      _sum: { points: true },
    });
    expect(member.pointsBalance).toBe(sum._sum.points ?? 0);
  }
}

async function checkStore(
  spec: StoreSpec,
  order: number[],
  batches: { size: number; transaction: number; concurrency: number }[],
) {
  const now = Date.now();
  const { store, deliveries, customerIds } = deliveriesOf(spec, now);
  admin.current = standInAdmin(store);

  const inOrder = await newShop("in-order");
  for (const delivery of deliveries) {
    await send(inOrder.domain, delivery);
    await drain([{ size: 1, transaction: 1, concurrency: 1 }]);
  }
  const shuffled = await newShop("shuffled");
  const keyed = deliveries.map((delivery, i) => ({
    delivery,
    key: order[i % order.length]! * 1_000 + i,
  }));
  for (const { delivery } of keyed.sort((a, b) => a.key - b.key))
    await send(shuffled.domain, delivery);
  await drain(batches);

  const expected = await stateOf(inOrder.shopId, customerIds);
  const actual = await stateOf(shuffled.shopId, customerIds);
  expect(expected.undelivered).toEqual([]);
  expect(actual).toEqual(expected);
  await expectTierEventsChain(inOrder.shopId);
  await expectTierEventsChain(shuffled.shopId);
  return { inOrder: inOrder.shopId, shuffled: shuffled.shopId };
}

type Case = [StoreSpec, number[], { size: number; transaction: number; concurrency: number }[]];

/** One order of the fixed cases: paid `paidDaysAgo` days ago, nothing else unless given. */
const anOrder = (paidDaysAgo: number, lines: OrderSpec["lines"], extra: Partial<OrderSpec> = {}) =>
  ({ paidDaysAgo, lines, edit: null, refunds: [], cancelAfterDays: null, ...extra }) as OrderSpec;
const aCustomer = (orders: OrderSpec[], extra: Partial<CustomerSpec> = {}): CustomerSpec => ({
  orders,
  created: false,
  enabled: false,
  ...extra,
});
const oneBatch = { size: 1, transaction: 1, concurrency: 1 };

/** Cases the property once failed on, kept so they are checked on every run. */
const FAILED_ONCE: Case[] = [
  // A customer who registered, then was merged away: the registration is the account's either way.
  [
    {
      customers: [
        aCustomer([
          anOrder(2, [{ price: 5, quantity: 1 }], {
            edit: { afterDays: 0, price: 5 },
            cancelAfterDays: 0,
          }),
        ]),
        aCustomer([anOrder(2, [{ price: 5, quantity: 1 }])], { created: true, enabled: true }),
      ],
      merge: true,
      duplicates: [0, 0],
    },
    [0, 1],
    [oneBatch],
  ],
  // An edited order of a customer merged away, refunded after the merge; two orders paid at the
  // same instant (the later one in the replay earns in the tier the earlier one reached).
  [
    {
      customers: [
        aCustomer([anOrder(2, [{ price: 5, quantity: 1 }])]),
        aCustomer([
          anOrder(2, [{ price: 27, quantity: 3 }], {
            edit: { afterDays: 0, price: 14 },
            refunds: [{ afterDays: 2, line: 0, quantity: 1 }],
          }),
        ]),
      ],
      merge: true,
      duplicates: [],
    },
    [0],
    [{ size: 5, transaction: 2, concurrency: 1 }],
  ],
  // A tier bonus the merged-away customer was paid moved with its points; the cancellation that
  // undid the tier must take it back from the kept member (and the merged record keeps no tier).
  [
    {
      customers: [
        aCustomer([anOrder(2, [{ price: 5, quantity: 1 }])]),
        aCustomer([anOrder(2, [{ price: 34, quantity: 3 }], { cancelAfterDays: 2 })]),
      ],
      merge: true,
      duplicates: [],
    },
    [0],
    [{ size: 4, transaction: 2, concurrency: 1 }, oneBatch],
  ],
  // A merge delivered after the orders: the kept customer's order was paid after the merged
  // customer's spend reached Gold, so on the combined timeline it earns double, as it does when
  // the merge arrives first (the merge must value the kept member's orders again).
  [
    {
      customers: [
        aCustomer([anOrder(100, [{ price: 80, quantity: 1 }])]),
        aCustomer([anOrder(200, [{ price: 300, quantity: 1 }])]),
      ],
      merge: true,
      duplicates: [],
    },
    [1, 1, 0],
    [oneBatch],
  ],
  // On PostgreSQL, two transactions of one customer's deliveries (an edit, an account enabled)
  // took the order and member rows in opposite orders: the deadlock's loser must be retried at
  // once, not left for a later attempt.
  [
    {
      customers: [
        aCustomer(
          [
            anOrder(2, [{ price: 5, quantity: 1 }], {
              edit: { afterDays: 0, price: 5 },
              cancelAfterDays: 0,
            }),
          ],
          { enabled: true },
        ),
      ],
      merge: false,
      duplicates: [1],
    },
    [0, 1],
    [oneBatch, { size: 3, transaction: 2, concurrency: 2 }],
  ],
  // On PostgreSQL, a refund applied at the same time as its order's edit: the reconciliation that
  // ran last read the order before the edit committed and left it with 0 points instead of 5.
  [
    {
      customers: [
        aCustomer(
          [
            anOrder(2, [{ price: 5, quantity: 2 }], {
              edit: { afterDays: 0, price: 5 },
              refunds: [
                { afterDays: 0, line: 0, quantity: 1 },
                { afterDays: 0, line: 0, quantity: 1 },
              ],
            }),
          ],
          { created: true, enabled: true },
        ),
      ],
      merge: false,
      duplicates: [],
    },
    [0, 982, 999, 0],
    [
      { size: 7, transaction: 4, concurrency: 2 },
      { size: 4, transaction: 2, concurrency: 2 },
    ],
  ],
  // Two orders paid together reach Silver, then edits add goods a minute and a day later (Gold).
  // Whichever webhook came first, the edit's goods count from the edit, not from the payment:
  // Silver was held in between, and its entry bonus is kept.
  [
    {
      customers: [
        aCustomer(
          [
            anOrder(2, [{ price: 34, quantity: 1 }], { edit: { afterDays: 0, price: 29 } }),
            anOrder(2, [{ price: 159, quantity: 1 }], { edit: { afterDays: 1, price: 78 } }),
          ],
          { enabled: true },
        ),
      ],
      merge: false,
      duplicates: [0],
    },
    [0, 1, 0, 134, 345],
    [{ size: 3, transaction: 7, concurrency: 2 }],
  ],
  // A later order delivered first reached Silver and was paid its bonus; the earlier order that
  // went straight to Gold arrived next: Silver was never entered, so its bonus goes back.
  [
    {
      customers: [
        aCustomer([
          anOrder(30, [{ price: 200, quantity: 2 }]),
          anOrder(10, [{ price: 150, quantity: 1 }]),
        ]),
      ],
      merge: false,
      duplicates: [],
    },
    [1, 0],
    [oneBatch],
  ],
  // Two customers each reached Gold alone and were each paid its bonus before Shopify merged
  // them: the merged timeline entered Gold once, as it does when the merge arrives first.
  [
    {
      customers: [
        aCustomer([anOrder(30, [{ price: 200, quantity: 2 }])]),
        aCustomer([anOrder(10, [{ price: 175, quantity: 2 }])]),
      ],
      merge: true,
      duplicates: [],
    },
    [2, 1, 0],
    [oneBatch],
  ],
];

const PROPERTY_TIMEOUT_MS = Number(process.env.PROPERTY_TIMEOUT_MS ?? 600_000);

const batchesArb = fc.array(
  fc.record({
    size: fc.integer({ min: 1, max: 12 }),
    transaction: fc.integer({ min: 1, max: 8 }),
    concurrency: fc.integer({ min: 1, max: 2 }),
  }),
  { minLength: 1, maxLength: 4 },
);

describe("the same facts give the same state, whatever order and batches they arrive in", () => {
  it("a refund delivered before its paid order, and a cancellation after the upgrade it paid for", async () => {
    // The customer: 1,000.00 paid, 500.00 of it refunded (the refund's webhook first),
    // then 500.00 paid (Gold) and cancelled: 500.00 kept, Silver, never Gold.
    // With Silver at 100.00 and Gold at 300.00: 200.00 paid, 100.00 of it refunded (the refund's
    // webhook first), then 200.00 paid (Gold) and cancelled: 100.00 kept, Silver, never Gold.
    const spec: StoreSpec = {
      customers: [
        {
          created: true,
          enabled: false,
          orders: [
            {
              paidDaysAgo: 40,
              lines: [{ price: 100, quantity: 2 }],
              edit: null,
              refunds: [{ afterDays: 1, line: 0, quantity: 1 }],
              cancelAfterDays: null,
            },
            {
              paidDaysAgo: 20,
              lines: [{ price: 200, quantity: 1 }],
              edit: null,
              refunds: [],
              cancelAfterDays: 5,
            },
          ],
        },
      ],
      merge: false,
      duplicates: [],
    };
    // Deliveries in fact order: create, paid 1, refund 1, paid 2, cancel 2. Shuffled: refund first.
    const { shuffled } = await checkStore(
      spec,
      [4, 2, 0, 3, 1],
      [{ size: 2, transaction: 2, concurrency: 1 }],
    );
    const member = await prisma.member.findFirstOrThrow({ where: { shopId: shuffled } });
    expect(member.tierId).toBe("silver");
  });

  it("a goal reached by an order refunded before its paid webhook, and reached again later", async () => {
    // The second order (the goal's) is refunded in full, its refund delivered first; a third
    // order reaches the goal again. 100.00 then 60.00 within 30 days: the spend goal stands.
    const spec: StoreSpec = {
      customers: [
        aCustomer([
          anOrder(40, [{ price: 100, quantity: 1 }]),
          anOrder(30, [{ price: 20, quantity: 1 }], {
            refunds: [{ afterDays: 1, line: 0, quantity: 1 }],
          }),
          anOrder(20, [{ price: 60, quantity: 1 }]),
        ]),
      ],
      merge: false,
      duplicates: [],
    };
    // In fact order: paid 1, paid 2, refund 2, paid 3. Shuffled: the refund, paid 3, paid 2, paid 1.
    const { inOrder, shuffled } = await checkStore(spec, [3, 2, 0, 1], [oneBatch]);
    for (const shopId of [inOrder, shuffled]) {
      const goals = await prisma.ledgerEntry.groupBy({
        by: ["source"],
        where: { shopId, idempotencyKey: { startsWith: "goal:" } },
        _sum: { points: true },
      });
      const held = goals.reduce((sum, row) => sum + (row._sum.points ?? 0), 0);
      expect(held).toBe(15 + 40);
    }
  });

  it(
    "holds for random stores, arrival orders and batch splits",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          storeArb,
          fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 40 }),
          batchesArb,
          async (spec, order, batches) => void (await checkStore(spec, order, batches)),
        ),
        {
          numRuns: Number(process.env.PROPERTY_RUNS ?? 10),
          examples: FAILED_ONCE,
          // Shrinking a failure on PostgreSQL can outlast the test's timeout, which would hide
          // the counterexample: stop a minute early and report the smallest one found so far.
          interruptAfterTimeLimit: PROPERTY_TIMEOUT_MS - 60_000,
          markInterruptAsFailure: true,
        },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
