import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { HISTORY_NOT_SENT_TO_FLOW } from "~/services/events/history.server";
import {
  expectBalancesMatchLedger,
  importRow,
  installedStore,
  memberByCustomer,
  membersOf,
  runImport,
} from "../../support/history";
import { seedHistory } from "../../support/history-fixture";

// Issue 18: the merchant's choices at install decide what the store's past becomes: members
// always, tier spend always (365 days), points for the last N days or none, store credit or not,
// and whether the past reaches Flow.

describe("history import: members and tier spend only (no points, no store credit)", () => {
  it("makes every customer a member, places them in tiers by their last 365 days, awards nothing", async () => {
    const installed = await installedStore("spend-only");
    const { customers } = seedHistory(installed);

    const importId = await runImport(installed, {
      pointsDays: null,
      storeCredit: false,
      fireFlows: false,
    });

    const run = await importRow(importId);
    expect(run).toMatchObject({ state: "done", customers: 6, pointsAwarded: 0 });
    // Alice's two of the last 365 days, Bob's and Carol's (Dave's is in euros, the guest's is
    // nobody's, Alice's of 500 days ago is not read).
    expect(run.orders).toBe(4);
    const members = await membersOf(installed.shopId);
    expect(members.map((m) => Number(m.customerId)).sort()).toEqual(
      Object.values(customers)
        .map((c) => c.id)
        .sort(),
    );
    expect(members.every((m) => m.pointsBalance === 0)).toBe(true);
    expect(await prisma.ledgerEntry.count({ where: { shopId: installed.shopId } })).toBe(0);
    // $150 + $80 in the last 365 days (the $300 of 500 days ago is not read): Silver.
    expect((await memberByCustomer(installed.shopId, customers.alice.id)).tierId).toBe("silver");
    expect((await memberByCustomer(installed.shopId, customers.bob.id)).tierId).toBeNull();
    expect(run.tierCounts).toEqual({ silver: 1 });
    expect((await memberByCustomer(installed.shopId, customers.erin.id)).storeCreditMinor).toBe(0);
    // The account state comes with the customer.
    const alice = await memberByCustomer(installed.shopId, customers.alice.id);
    expect(alice.accountRegisteredAt).not.toBeNull();
  });

  it("sends the past to Klaviyo as backfill and not to Flow", async () => {
    const installed = await installedStore("no-flows");
    seedHistory(installed);
    await runImport(installed, { pointsDays: null, storeCredit: false, fireFlows: false });

    const events = await prisma.loyaltyEvent.findMany({
      where: { shopId: installed.shopId },
      include: { deliveries: true },
    });
    const activated = events.filter((e) => e.type === "member.activated");
    expect(activated).toHaveLength(6);
    expect(activated.every((e) => (e.payload as { source: string }).source === "import")).toBe(
      true,
    );
    expect(events.some((e) => e.type === "tier.updated")).toBe(true);
    const deliveries = events.flatMap((e) => e.deliveries);
    const klaviyo = deliveries.filter((d) => d.destination === "klaviyo");
    const flow = deliveries.filter((d) => d.destination === "flow");
    expect(klaviyo.length).toBe(events.length);
    expect(klaviyo.every((d) => d.state === "backfill")).toBe(true);
    expect(flow.length).toBeGreaterThan(0);
    expect(
      flow.every((d) => d.state === "skipped" && d.lastError === HISTORY_NOT_SENT_TO_FLOW),
    ).toBe(true);
  });
});

describe("history import: points for the last 90 days, store credit, flows on", () => {
  it("awards the orders of the window, dated as the orders were, refunds taken back", async () => {
    const installed = await installedStore("points-90");
    const now = Date.now();
    const { customers, orders, bobRefund } = seedHistory(installed, now);

    const importId = await runImport(installed, {
      pointsDays: 90,
      storeCredit: true,
      fireFlows: true,
    });

    const run = await importRow(importId);
    // Alice 80 (her $150 is older than 90 days), Bob 60 − 30, Carol 40.
    expect(run.pointsAwarded).toBe(80 + 30 + 40);
    const balance = async (id: number) =>
      (await memberByCustomer(installed.shopId, id)).pointsBalance;
    expect(await balance(customers.alice.id)).toBe(80);
    expect(await balance(customers.bob.id)).toBe(30);
    expect(await balance(customers.carol.id)).toBe(40);
    await expectBalancesMatchLedger(installed.shopId);

    const entries = await prisma.ledgerEntry.findMany({
      where: { shopId: installed.shopId },
      orderBy: { createdAt: "asc" },
    });
    const dated = (orderId: number) =>
      entries.find((e) => e.orderId === BigInt(orderId) && e.kind === "earn")?.createdAt;
    expect(dated(orders.aliceRecent.id)?.toISOString()).toBe(orders.aliceRecent.processed_at);
    expect(dated(orders.bobOrder.id)?.toISOString()).toBe(orders.bobOrder.processed_at);
    const clawback = entries.find((e) => e.kind === "clawback");
    expect(clawback?.createdAt.toISOString()).toBe(bobRefund.created_at);
    // The last activity is the newest order, not the import.
    const bob = await memberByCustomer(installed.shopId, customers.bob.id);
    expect(bob.lastActivityAt?.toISOString()).toBe(orders.bobOrder.processed_at);

    const added = await prisma.loyaltyEvent.findFirstOrThrow({
      where: {
        shopId: installed.shopId,
        type: "points.added",
        customerId: BigInt(customers.alice.id),
      },
    });
    expect(added.occurredAt.toISOString()).toBe(orders.aliceRecent.processed_at);
  });

  it("brings in Shopify's store credit balance, and sends the past to Flow as asked", async () => {
    const installed = await installedStore("credit-flows");
    const { customers } = seedHistory(installed);
    await runImport(installed, { pointsDays: 90, storeCredit: true, fireFlows: true });

    const erin = await memberByCustomer(installed.shopId, customers.erin.id);
    expect(erin).toMatchObject({ storeCreditMinor: 2500, storeCreditCurrency: "USD" });
    const flow = await prisma.eventDelivery.findMany({
      where: { shopId: installed.shopId, destination: "flow" },
    });
    expect(flow.length).toBeGreaterThan(0);
    expect(flow.every((d) => d.state === "pending")).toBe(true);
  });
});
