import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { setMemberTier } from "~/services/tiers/set-tier.server";
import { action as customersAction } from "~/routes/webhooks.customers";
import { processWebhookDelivery } from "~/services/webhooks/processing.server";
import type { SandboxCustomer } from "../../../sandbox/shopify/store";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
  mergePayload,
} from "../../support/deliveries";
import { callAction, TEST_SHOP, webhook } from "../../support/webhooks";

/** customers/merge as Shopify's webhook reference shows it (GIDs, job id, status, errors). */

/** A paid order of `quantity` × `price` for the customer, delivered (1 point per dollar). */
async function paidOrder(
  store: ReturnType<typeof newStore>,
  customer: SandboxCustomer,
  price: string,
  quantity = 1,
) {
  const order = store.addPaidOrder(customer, [{ title: "Item", price, quantity }]);
  await deliver("orders/paid", order);
  return order;
}

async function ledgerOf(customerId: number) {
  const member = await memberOf(customerId);
  return prisma.ledgerEntry.findMany({
    where: { memberId: member!.id },
    orderBy: { createdAt: "asc" },
  });
}

describe("customers/merge combines two members into the kept customer", () => {
  it("moves balance, lifetime and orders; a later refund claws back from the kept member", async () => {
    // GIVEN two customers with 20 and 30 points from one order each
    const store = newStore();
    const kept = store.addCustomer({ email: "kept@example.com", first_name: "Kay" });
    const gone = store.addCustomer({ email: "gone@example.com", first_name: "Gus" });
    await deliver("customers/create", kept);
    await deliver("customers/create", gone);
    await paidOrder(store, kept, "20.00");
    const goneOrder = await paidOrder(store, gone, "10.00", 3);

    // WHEN Shopify merges the second into the first
    const delivery = await deliver("customers/merge", mergePayload(kept, gone));

    // THEN the kept member holds both balances and lifetimes; the other is a pointer to it
    expect(delivery.outcome).toBe("applied");
    const keptMember = await memberOf(kept.id);
    const goneMember = await memberOf(gone.id);
    expect(keptMember).toMatchObject({ pointsBalance: 50, lifetimeEarned: 50, status: "active" });
    expect(goneMember).toMatchObject({
      pointsBalance: 0,
      lifetimeEarned: 0,
      status: "merged",
      mergedIntoId: keptMember!.id,
      email: null,
      firstName: null,
    });
    // … through two new entries, the old ones untouched
    expect((await ledgerOf(gone.id)).map((e) => [e.kind, e.points, e.idempotencyKey])).toEqual([
      ["earn", 30, `order:${goneOrder.id}:earn`],
      ["merge", -30, `merge:${goneMember!.id}:out`],
    ]);
    expect((await ledgerOf(kept.id)).at(-1)).toMatchObject({
      kind: "merge",
      points: 30,
      balanceAfter: 50,
      idempotencyKey: `merge:${goneMember!.id}:in`,
    });
    const record = await prisma.orderRecord.findFirstOrThrow({
      where: { orderId: BigInt(goneOrder.id) },
    });
    expect(record.customerId).toBe(BigInt(kept.id));

    const [merged] = await eventsOf(kept.id, "customer.merged");
    expect(merged?.payload).toEqual({
      kept_customer_id: String(kept.id),
      merged_customer_id: String(gone.id),
      merged_points_balance: 30,
      combined_points_balance: 50,
      current_tier: null,
    });
    expect(merged?.snapshot).toMatchObject({ points_balance: 50, email: "kept@example.com" });
    expect(merged?.deliveries.map((d) => d.destination).sort()).toEqual([
      "flow",
      "klaviyo",
      "omnisend",
    ]);

    // WHEN the merged-away customer's order is refunded in part afterwards
    await deliver(
      "refunds/create",
      store.refundLineItem(goneOrder, goneOrder.line_items[0]!.id, 1),
    );

    // THEN the kept member pays it back, keeping its own contact details
    expect(await memberOf(kept.id)).toMatchObject({ pointsBalance: 40, email: "kept@example.com" });
    expect((await memberOf(gone.id))?.pointsBalance).toBe(0);
    await expectBalanceMatchesLedger(kept.id);
    await expectBalanceMatchesLedger(gone.id);
  });

  it("applies a merge once, however often and however concurrently it is delivered", async () => {
    const store = newStore();
    const kept = store.addCustomer({ email: "once-kept@example.com" });
    const gone = store.addCustomer({ email: "once-gone@example.com" });
    await paidOrder(store, gone, "12.00");
    const payload = mergePayload(kept, gone);

    // Two deliveries (different webhook ids) processed at the same time, then a redelivery of one
    const ids = [`merge-a-${gone.id}`, `merge-b-${gone.id}`];
    for (const webhookId of ids) {
      const request = webhook("/webhooks/customers", "customers/merge", payload, { webhookId });
      expect((await callAction(customersAction, request)).status).toBe(200);
    }
    const deliveries = await prisma.webhookDelivery.findMany({ where: { webhookId: { in: ids } } });
    await Promise.all(deliveries.map((d) => processWebhookDelivery(d.id)));
    const redelivered = await deliver("customers/merge", payload, ids[0]);
    const resent = await deliver("customers/merge", payload);

    const processed = await prisma.webhookDelivery.findMany({ where: { webhookId: { in: ids } } });
    expect(processed.map((d) => d.outcome).sort()).toEqual(["applied", "ignored"]);
    expect(redelivered.id).toBe(deliveries.find((d) => d.webhookId === ids[0])?.id);
    expect(resent.outcome).toBe("ignored");
    expect((await memberOf(kept.id))?.pointsBalance).toBe(12);
    expect(await eventsOf(kept.id, "customer.merged")).toHaveLength(1);
    expect(await prisma.memberMerge.count({ where: { keptCustomerId: BigInt(kept.id) } })).toBe(1);
    await expectBalanceMatchesLedger(kept.id);
    await expectBalanceMatchesLedger(gone.id);
  });

  it("creates the kept member when the merge arrives before the customer's own webhooks", async () => {
    const store = newStore();
    const kept = store.addCustomer({ email: "late-kept@example.com", first_name: "Lee" });
    const gone = store.addCustomer({ email: "early-gone@example.com" });
    await paidOrder(store, gone, "15.00");

    await deliver("customers/merge", mergePayload(kept, gone));
    expect(await memberOf(kept.id)).toMatchObject({ pointsBalance: 15, email: null });
    await deliver("customers/create", kept);

    expect(await memberOf(kept.id)).toMatchObject({
      pointsBalance: 15,
      email: "late-kept@example.com",
    });
    await expectBalanceMatchesLedger(kept.id);
  });

  it("follows a chain of merges delivered out of order to the member still active", async () => {
    // A merged into B, then B into C; Shopify's webhooks arrive the other way round
    const store = newStore();
    const [a, b, c] = ["a", "b", "c"].map((n) =>
      store.addCustomer({ email: `${n}@chain.example` }),
    );
    await paidOrder(store, a!, "1.00");
    await paidOrder(store, b!, "2.00");
    await paidOrder(store, c!, "4.00");

    await deliver("customers/merge", mergePayload(c!, b!));
    await deliver("customers/merge", mergePayload(b!, a!));

    const final = await memberOf(c!.id);
    expect(final).toMatchObject({ pointsBalance: 7, lifetimeEarned: 7 });
    expect(await memberOf(a!.id)).toMatchObject({ status: "merged", mergedIntoId: final!.id });
    const events = await eventsOf(c!.id, "customer.merged");
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ merged_customer_id: String(b!.id), combined_points_balance: 6 }),
      expect.objectContaining({ merged_customer_id: String(a!.id), combined_points_balance: 7 }),
    ]);
    for (const customer of [a!, b!, c!]) await expectBalanceMatchesLedger(customer.id);
  });

  it("records a merge of a customer the app never saw, moving nothing", async () => {
    const store = newStore();
    const kept = store.addCustomer({ email: "known@example.com" });
    const stranger = store.addCustomer({ email: "stranger@example.com" });
    await paidOrder(store, kept, "9.00");

    const delivery = await deliver("customers/merge", mergePayload(kept, stranger));

    expect(delivery.outcome).toBe("applied");
    expect((await memberOf(kept.id))?.pointsBalance).toBe(9);
    expect(await memberOf(stranger.id)).toMatchObject({ status: "merged", pointsBalance: 0 });
    const [event] = await eventsOf(kept.id, "customer.merged");
    expect(event?.payload).toMatchObject({ merged_points_balance: 0, combined_points_balance: 9 });
  });

  it("ignores a merge that did not complete", async () => {
    const store = newStore();
    const kept = store.addCustomer({ email: "f-kept@example.com" });
    const gone = store.addCustomer({ email: "f-gone@example.com" });
    await paidOrder(store, gone, "5.00");

    const delivery = await deliver("customers/merge", mergePayload(kept, gone, "failed"));

    expect(delivery.outcome).toBe("ignored");
    expect(await memberOf(gone.id)).toMatchObject({ status: "active", pointsBalance: 5 });
    expect(await memberOf(kept.id)).toBeNull();
  });

  it("rejects a payload without two distinct customer GIDs", async () => {
    const numeric = await deliver("customers/merge", {
      ...mergePayload({ id: 1 }, { id: 2 }),
      admin_graphql_api_customer_kept_id: 1,
    });
    const same = await deliver("customers/merge", mergePayload({ id: 3 }, { id: 3 }));

    expect(numeric.outcome).toBe("rejected");
    expect(numeric.lastError).toMatch(/admin_graphql_api_customer_kept_id/);
    expect(same.outcome).toBe("rejected");
    expect(same.lastError).toMatch(/must differ/);
  });

  // Last: it saves a program with tiers, which every later test of this file would inherit.
  it("keeps the higher tier, the earlier registration and a missing birthday", async () => {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const tier = (id: string, name: string, points: number) => ({
      id,
      name,
      threshold: { kind: "lifetime_points", points },
    });
    await prisma.programVersion.create({
      data: {
        shopId: shop.id,
        version: 1,
        config: { tiers: [tier("silver", "Silver", 900_000), tier("gold", "Gold", 1_000_000)] },
      },
    });
    const store = newStore();
    const kept = store.addCustomer({ email: "t-kept@example.com" });
    const gone = store.addCustomer({ email: "t-gone@example.com" });
    await deliver("customers/create", kept);
    await deliver("customers/create", gone);
    const registered = new Date("2026-01-02T03:04:05Z");
    // The merchant assigned the tiers (no spend reaches them): a manual tier stands after a merge.
    await setMemberTier(shop.id, BigInt(kept.id), "silver", null);
    await setMemberTier(shop.id, BigInt(gone.id), "gold", null);
    await prisma.member.update({
      where: { id: (await memberOf(gone.id))!.id },
      data: { accountRegisteredAt: registered, birthMonth: 7, birthDay: 14 },
    });

    await deliver("customers/merge", mergePayload(kept, gone));

    expect(await memberOf(kept.id)).toMatchObject({
      tierId: "gold",
      accountRegisteredAt: registered,
      birthMonth: 7,
      birthDay: 14,
    });
    const [event] = await eventsOf(kept.id, "customer.merged");
    expect(event?.payload).toMatchObject({ current_tier: "Gold" });
    expect(event?.snapshot).toMatchObject({ vip_tier: "Gold" });
  });
});
