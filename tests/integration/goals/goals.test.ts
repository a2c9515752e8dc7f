import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { saveProgram } from "~/services/program/versions.server";
import type { SandboxCustomer, SandboxOrder, SandboxStore } from "../../../sandbox/shopify/store";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  mergePayload,
  newStore,
} from "../../support/deliveries";

// Goals (issue #23), through signed webhooks: the 3rd order and a spend goal within 30 days each
// owe their bonus once per member; the refund of the order that reached a goal takes it back, a
// later order reaches it again; the same facts give the same bonuses in any arrival order.

const DAY = 86_400_000;
const THIRD_ORDER = { id: "third-order", kind: "order_count", count: 3, points: 50 };
const SPEND_200 = { id: "spend-200", kind: "spend", minor: 200_00, windowDays: 30, points: 80 };

async function shopWithGoals(goals: unknown[]) {
  const store = newStore();
  await deliver(
    "customers/create",
    store.addCustomer({ email: `setup${store.newId()}@example.com` }),
  );
  const shop = await prisma.shop.findFirstOrThrow();
  await saveProgram(prisma, shop.id, { goals }, "test");
  return store;
}

/** 10.00 orders paid `daysAgo` days ago each (10 points each). */
function ordersOf(store: SandboxStore, customer: SandboxCustomer, daysAgo: number[]) {
  return daysAgo.map((days) =>
    store.addPaidOrder(customer, [{ title: "Mug", price: "10.00", quantity: 1 }], {
      at: new Date(Date.now() - days * DAY),
    }),
  );
}

async function goalEntries(customer: SandboxCustomer) {
  const member = (await memberOf(customer.id))!;
  const entries = await prisma.ledgerEntry.findMany({
    where: { memberId: member.id, idempotencyKey: { startsWith: "goal:" } },
    orderBy: { createdAt: "asc" },
  });
  return entries.map((e) => ({ points: e.points, source: e.source, key: e.idempotencyKey }));
}

const payloadsOf = async (customer: SandboxCustomer, type: string, source?: string) =>
  (await eventsOf(customer.id, type))
    .map((e) => e.payload as { source: string })
    .filter((p) => source === undefined || p.source === source);

const goalAdded = (order: SandboxOrder, note = "Goal reached: order 3") => ({
  points: 50,
  source: "goal",
  order_id: String(order.id),
  order_name: order.name,
  note,
});

describe("the Nth order goal", () => {
  it("pays the 3rd order's bonus once, through duplicates and a 4th order", async () => {
    const store = await shopWithGoals([THIRD_ORDER]);
    const customer = store.addCustomer({ email: "nora@example.com" });
    const [first, second, third, fourth] = ordersOf(store, customer, [30, 20, 10, 5]);
    await deliver("orders/paid", first);
    await deliver("orders/paid", second);
    expect(await goalEntries(customer)).toEqual([]);

    await deliver("orders/paid", third, "wh-goal-third");
    // The same delivery again, and the same fact under another webhook id
    await deliver("orders/paid", third, "wh-goal-third");
    await deliver("orders/paid", third);
    await deliver("orders/paid", fourth);

    const member = (await memberOf(customer.id))!;
    expect(member.pointsBalance).toBe(4 * 10 + 50);
    expect(await goalEntries(customer)).toEqual([
      { points: 50, source: "goal", key: `goal:${member.id}:third-order` },
    ]);
    expect(await payloadsOf(customer, "points.added", "goal")).toEqual([goalAdded(third!)]);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("the refund of the 3rd order takes the bonus back; a 4th order earns it again", async () => {
    const store = await shopWithGoals([THIRD_ORDER]);
    const customer = store.addCustomer({ email: "omar@example.com" });
    const [first, second, third, fourth] = ordersOf(store, customer, [30, 20, 10, 5]);
    for (const order of [first, second, third]) await deliver("orders/paid", order);

    const refund = store.refundLineItem(third!, third!.line_items[0]!.id, 1);
    await deliver("refunds/create", refund, "wh-goal-refund");
    await deliver("refunds/create", refund, "wh-goal-refund");
    const member = (await memberOf(customer.id))!;
    expect(member.pointsBalance).toBe(2 * 10);
    expect(await payloadsOf(customer, "points.subtracted")).toEqual([
      {
        points: 10,
        source: "order_refund",
        order_id: String(third!.id),
        order_name: third!.name,
        note: null,
      },
      {
        points: 50,
        source: "order_refund",
        order_id: String(third!.id),
        order_name: third!.name,
        note: "Goal bonus taken back",
      },
    ]);

    await deliver("orders/paid", fourth);
    expect((await memberOf(customer.id))!.pointsBalance).toBe(3 * 10 + 50);
    expect(await goalEntries(customer)).toEqual([
      { points: 50, source: "goal", key: `goal:${member.id}:third-order` },
      { points: -50, source: "order_refund", key: `goal:${member.id}:third-order:1` },
      { points: 50, source: "goal", key: `goal:${member.id}:third-order:2` },
    ]);
    expect(await payloadsOf(customer, "points.added", "goal")).toEqual([
      goalAdded(third!),
      goalAdded(fourth!),
    ]);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("a cancelled 3rd order takes the bonus back as order_cancelled", async () => {
    const store = await shopWithGoals([THIRD_ORDER]);
    const customer = store.addCustomer({ email: "pia@example.com" });
    const orders = ordersOf(store, customer, [30, 20, 10]);
    for (const order of orders) await deliver("orders/paid", order);
    await deliver("orders/cancelled", store.cancelOrder(orders[2]!));
    expect(await payloadsOf(customer, "points.subtracted")).toContainEqual({
      points: 50,
      source: "order_cancelled",
      order_id: String(orders[2]!.id),
      order_name: orders[2]!.name,
      note: "Goal bonus taken back",
    });
    expect((await memberOf(customer.id))!.pointsBalance).toBe(2 * 10);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("orders delivered out of order (the 3rd paid first) give the same state", async () => {
    const store = await shopWithGoals([THIRD_ORDER]);
    const inOrder = store.addCustomer({ email: "quinn-in-order@example.com" });
    const shuffled = store.addCustomer({ email: "quinn-shuffled@example.com" });
    const expected = ordersOf(store, inOrder, [30, 20, 10]);
    const [first, second, third] = ordersOf(store, shuffled, [30, 20, 10]);
    for (const order of expected) await deliver("orders/paid", order);
    await deliver("orders/paid", third);
    // Two orders known: the one paid last is not a 3rd order yet
    expect(await goalEntries(shuffled)).toEqual([]);
    await deliver("orders/paid", first);
    expect(await goalEntries(shuffled)).toEqual([]);
    await deliver("orders/paid", second);

    const a = (await memberOf(inOrder.id))!;
    const b = (await memberOf(shuffled.id))!;
    expect(b.pointsBalance).toBe(a.pointsBalance);
    expect(b.lifetimeEarned).toBe(a.lifetimeEarned);
    expect(b.pointsBalance).toBe(3 * 10 + 50);
    // Reached by the order paid third, whichever arrived last
    expect(await payloadsOf(shuffled, "points.added", "goal")).toEqual([goalAdded(third!)]);
    expect(await payloadsOf(inOrder, "points.added", "goal")).toEqual([goalAdded(expected[2]!)]);
  });
});

describe("the spend goal within a window", () => {
  function spendOrders(store: SandboxStore, customer: SandboxCustomer, daysAgo: [number, number]) {
    return [
      store.addPaidOrder(customer, [{ title: "Lamp", price: "120.00", quantity: 1 }], {
        at: new Date(Date.now() - daysAgo[0] * DAY),
      }),
      store.addPaidOrder(customer, [{ title: "Rug", price: "90.00", quantity: 1 }], {
        at: new Date(Date.now() - daysAgo[1] * DAY),
      }),
    ];
  }

  it("owes the bonus when 200.00 of goods are paid within 30 days, not further apart", async () => {
    const store = await shopWithGoals([SPEND_200, THIRD_ORDER]);
    const within = store.addCustomer({ email: "rosa@example.com" });
    const apart = store.addCustomer({ email: "sam@example.com" });
    const [earlier, reaching] = spendOrders(store, within, [35, 10]);
    // The reaching order first: the spend is 90.00 until the earlier order arrives
    await deliver("orders/paid", reaching);
    expect(await payloadsOf(within, "points.added", "goal")).toEqual([]);
    await deliver("orders/paid", earlier);
    await deliver("orders/paid", earlier);
    expect(await payloadsOf(within, "points.added", "goal")).toEqual([
      {
        points: 80,
        source: "goal",
        order_id: String(reaching!.id),
        order_name: reaching!.name,
        note: "Goal reached: spend",
      },
    ]);
    expect((await memberOf(within.id))!.pointsBalance).toBe(120 + 90 + 80);

    // 35 days apart: no window of 30 days holds 200.00
    for (const order of spendOrders(store, apart, [45, 10])) await deliver("orders/paid", order);
    expect(await payloadsOf(apart, "points.added", "goal")).toEqual([]);
    expect((await memberOf(apart.id))!.pointsBalance).toBe(120 + 90);
    await expectBalanceMatchesLedger(within.id);
  });
});

describe("a merge joins two customers' orders", () => {
  async function merged(store: SandboxStore, label: string, mergeFirst: boolean) {
    const kept = store.addCustomer({ email: `tia-${label}@example.com` });
    const gone = store.addCustomer({ email: `ugo-${label}@example.com` });
    const orders = [...ordersOf(store, kept, [30, 20, 10]), ...ordersOf(store, gone, [25, 15, 5])];
    await deliver("customers/create", kept);
    await deliver("customers/create", gone);
    if (mergeFirst) await deliver("customers/merge", mergePayload(kept, gone));
    for (const order of orders) await deliver("orders/paid", order);
    if (!mergeFirst) await deliver("customers/merge", mergePayload(kept, gone));
    return { kept, gone, orders };
  }

  it("owes a goal once, whether the merge came before or after both reached it", async () => {
    const store = await shopWithGoals([THIRD_ORDER]);
    const first = await merged(store, "first", true);
    const last = await merged(store, "last", false);
    for (const { kept } of [first, last]) {
      expect(await memberOf(kept.id)).toMatchObject({
        pointsBalance: 6 * 10 + 50,
        lifetimeEarned: 6 * 10 + 50,
      });
      await expectBalanceMatchesLedger(kept.id);
    }
    // Merged first: one bonus, paid when Tia's third order arrived (Ugo's came after it)
    expect(await payloadsOf(first.kept, "points.added", "goal")).toEqual([
      goalAdded(first.orders[2]!),
    ]);
    // Merged last: each was paid it alone; the bonus Ugo's points brought goes back
    expect(await payloadsOf(last.kept, "points.subtracted")).toEqual([
      {
        points: 50,
        source: "goal",
        order_id: null,
        order_name: null,
        note: "Goal bonus taken back: owed once per member",
      },
    ]);
  });
});
