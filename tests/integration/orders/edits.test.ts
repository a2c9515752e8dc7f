import { afterEach, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";
import { standInAdmin } from "../../support/stand-in-admin";

// Webhook jobs read the edited order through the shop's offline session; here that session talks
// to the Shopify stand-in (schema-validated) holding the same store the webhooks come from.
const admin = vi.hoisted(() => ({ current: null as null | unknown }));
vi.mock("~/integrations/shopify/offline-admin.server", () => ({
  offlineAdmin: async () => {
    if (!admin.current) throw new Error("no offline session for the shop");
    return admin.current;
  },
}));

afterEach(() => {
  admin.current = null;
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 12, minute));

function orderOf(store: SandboxStore, email: string) {
  admin.current = standInAdmin(store);
  const customer = store.addCustomer({ email });
  const order = store.addPaidOrder(customer, [{ title: "Lamp", price: "50.00", quantity: 2 }], {
    at: at(0),
  });
  return { store, customer, order, line: order.line_items[0]! };
}

describe("orders/edited adjusts the order's points", () => {
  it("an added line earns its points once, as a purchase", async () => {
    const { store, customer, order } = orderOf(newStore(), "edit-add@example.com");
    await deliver("orders/paid", order);
    expect((await memberOf(customer.id))?.pointsBalance).toBe(100);

    const edit = store.editOrder(
      order,
      { add: [{ title: "Bulb", price: "7.50", quantity: 2 }] },
      at(5),
    );
    await deliver("orders/edited", edit);
    await deliver("orders/edited", edit);

    const member = await memberOf(customer.id);
    expect(member?.pointsBalance).toBe(115);
    expect(member?.lifetimeEarned).toBe(115);
    const added = await eventsOf(customer.id, "points.added");
    expect(added.map((e) => e.payload)).toEqual([
      expect.objectContaining({ points: 100, source: "purchase" }),
      {
        points: 15,
        source: "purchase",
        order_id: String(order.id),
        order_name: order.name,
        note: null,
      },
    ]);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("removed units take their points back, and a later refund of the rest leaves nothing", async () => {
    const { store, customer, order, line } = orderOf(newStore(), "edit-remove@example.com");
    await deliver("orders/paid", order);
    await deliver(
      "orders/edited",
      store.editOrder(order, { remove: [{ lineItemId: line.id, quantity: 1 }] }, at(5)),
    );
    expect((await memberOf(customer.id))?.pointsBalance).toBe(50);
    const [subtracted] = await eventsOf(customer.id, "points.subtracted");
    expect(subtracted?.payload).toMatchObject({ points: 50, source: "order_refund" });

    await deliver("refunds/create", store.refundLineItem(order, line.id, 1, at(10)));
    expect((await memberOf(customer.id))?.pointsBalance).toBe(0);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("ends in the same state whatever order paid, refund, edit and cancel arrive in", async () => {
    const arrivals = [
      ["paid", "refund", "edit"],
      ["edit", "refund", "paid"],
      ["refund", "edit", "paid"],
      ["edit", "paid", "refund", "edit"],
    ];
    const balances: number[] = [];
    for (const [index, arrival] of arrivals.entries()) {
      const store = newStore();
      const { customer, order, line } = orderOf(store, `edit-order-${index}@example.com`);
      const refund = store.refundLineItem(order, line.id, 1, at(3));
      const edit = store.editOrder(
        order,
        { add: [{ title: "Shade", price: "30.00", quantity: 1 }] },
        at(6),
      );
      const payloads = { paid: order, refund, edit };
      const topics = { paid: "orders/paid", refund: "refunds/create", edit: "orders/edited" };
      for (const step of arrival as (keyof typeof payloads)[]) {
        await deliver(topics[step], payloads[step]);
      }
      balances.push((await memberOf(customer.id))!.pointsBalance);
      await expectBalanceMatchesLedger(customer.id);
    }
    // 2 × 50 + 30 earned on the edited order, one 50 lamp refunded.
    expect(balances).toEqual([80, 80, 80, 80]);
  });

  it("an edit before orders/paid earns nothing until the order is paid, then the edited total", async () => {
    const { store, customer, order } = orderOf(newStore(), "edit-first@example.com");
    const paid = structuredClone(order);
    const edit = store.editOrder(
      order,
      { add: [{ title: "Bulb", price: "10.00", quantity: 1 }] },
      at(5),
    );

    await deliver("orders/edited", edit);
    expect(await memberOf(customer.id)).toBeNull();
    // The paid payload was generated before the edit: its older version must not win.
    await deliver("orders/paid", paid);

    expect((await memberOf(customer.id))?.pointsBalance).toBe(110);
    const entries = await prisma.ledgerEntry.findMany({ where: { orderId: BigInt(order.id) } });
    expect(entries.map((e) => e.idempotencyKey)).toEqual([`order:${order.id}:earn`]);
  });

  it("a cancelled order holds nothing, even if an edit arrives afterwards", async () => {
    const { store, customer, order } = orderOf(newStore(), "edit-cancel@example.com");
    await deliver("orders/paid", order);
    const cancelled = structuredClone(store.cancelOrder(order, "customer", at(4)));
    const edit = store.editOrder(
      order,
      { add: [{ title: "Bulb", price: "10.00", quantity: 1 }] },
      at(5),
    );
    await deliver("orders/cancelled", cancelled);
    await deliver("orders/edited", edit);
    expect((await memberOf(customer.id))?.pointsBalance).toBe(0);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("rejects a payload without an order_edit and retries when the order cannot be read", async () => {
    const { store, order } = orderOf(newStore(), "edit-bad@example.com");
    const rejected = await deliver("orders/edited", { order_id: order.id });
    expect(rejected.outcome).toBe("rejected");
    expect(rejected.lastError).toContain("order_edit");

    admin.current = null;
    const edit = store.editOrder(
      order,
      { add: [{ title: "Bulb", price: "1.00", quantity: 1 }] },
      at(5),
    );
    await expect(deliver("orders/edited", edit)).rejects.toThrow("no offline session");
    const pending = await prisma.webhookDelivery.findFirstOrThrow({
      where: { topic: "ORDERS_EDITED", processedAt: null },
    });
    expect(pending.lastError).toContain("no offline session");
    expect(pending.attempts).toBe(1);
  });
});
