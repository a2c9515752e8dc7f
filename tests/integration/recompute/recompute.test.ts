import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { parseStoredLoyaltyEvent } from "~/domain/events/index";
import { runRecompute } from "~/services/recompute/queued-run.server";
import { QUEUES, type RecomputeJob } from "~/jobs/queues/definitions";
import { getBoss } from "~/jobs/queues/boss.server";
import { programInForce, saveProgram } from "~/services/program/versions.server";
import { recomputeMembers } from "~/services/recompute/run.server";
import { deliver, eventsOf, memberOf, newStore } from "../../support/deliveries";

const silver = { id: "silver", name: "Silver", threshold: { kind: "spend_365d", minor: 10_000 } };
const gold = { id: "gold", name: "Gold", threshold: { kind: "spend_365d", minor: 50_000 } };

/** Saves `tiers` as the shop's program and recomputes from the program that was in force. */
async function changeTiers(shopId: string, tiers: object[], now = new Date()) {
  const previous = await programInForce(prisma, shopId);
  const saved = await saveProgram(prisma, shopId, { tiers }, "test");
  return recomputeMembers(shopId, previous.config, saved.config, saved.changed, now);
}

function parsedTierEvents(events: Awaited<ReturnType<typeof eventsOf>>) {
  return events.map((event) => parseStoredLoyaltyEvent(event));
}

describe("recompute after a tier settings change (set-based)", () => {
  it("upgrades who now qualify, re-places members of a deleted tier, once, with catalog events", async () => {
    // GIVEN three customers who spent 50, 150 and 600 in paid orders, with Silver at 100
    const store = newStore();
    const spenders = [50, 150, 600].map((dollars) => {
      const customer = store.addCustomer({ email: `spent${dollars}@example.com` });
      return {
        customer,
        order: store.addPaidOrder(customer, [
          { title: "Goods", price: `${dollars}.00`, quantity: 1 },
        ]),
      };
    });
    await deliver("customers/create", spenders[0]!.customer);
    const shop = await prisma.shop.findFirstOrThrow();
    await saveProgram(prisma, shop.id, { tiers: [silver] }, "test");
    for (const { order } of spenders) await deliver("orders/paid", order);
    const [low, mid, high] = spenders.map((s) => s.customer.id);
    expect((await memberOf(high!))?.tierId).toBe("silver");

    // WHEN Gold (500) is added, and the recompute runs twice
    const first = await changeTiers(shop.id, [silver, gold]);
    const again = await recomputeMembers(
      shop.id,
      (await programInForce(prisma, shop.id)).config,
      (await programInForce(prisma, shop.id)).config,
      ["tiers"],
    );

    // THEN only the 600 spender moves up, once, with a tier.updated event the catalog accepts
    expect(first).toMatchObject({ tierChanges: 1, members: 3 });
    expect(again.tierChanges).toBe(0);
    expect((await memberOf(high!))?.tierId).toBe("gold");
    expect((await memberOf(mid!))?.tierId).toBe("silver");
    expect((await memberOf(low!))?.tierId).toBeNull();
    const [upgrade] = parsedTierEvents(await eventsOf(high!, "tier.updated")).slice(-1);
    expect(upgrade?.payload).toMatchObject({
      change: "spending_upgrade",
      previous_tier: "Silver",
      current_tier: "Gold",
      locked_until: null,
    });
    expect(upgrade?.snapshot).toMatchObject({ vip_tier: "Gold", email: "spent600@example.com" });
    const deliveries = await prisma.eventDelivery.findMany({ where: { eventId: upgrade!.id } });
    expect(deliveries.map((d) => d.destination).sort()).toEqual(["flow", "klaviyo", "omnisend"]);

    // WHEN Silver is deleted: its member is placed afresh (no tier now), Gold stays
    await changeTiers(shop.id, [gold]);
    expect((await memberOf(mid!))?.tierId).toBeNull();
    const [dropped] = parsedTierEvents(await eventsOf(mid!, "tier.updated")).slice(-1);
    expect(dropped?.payload).toMatchObject({
      change: "spending_downgrade",
      previous_tier: "Silver",
      current_tier: null,
      expires_at: null,
    });
    expect((await memberOf(high!))?.tierId).toBe("gold");
  });

  it(`places ${3000} members in a few statements, matching the spend of each`, async () => {
    const store = newStore();
    const first = store.addCustomer({ email: "bulk@example.com" });
    await deliver("customers/create", first);
    const shop = await prisma.shop.findFirstOrThrow();
    const now = new Date("2027-06-01T12:00:00Z");
    const base = 900_000_000;
    const count = 3000;
    await prisma.member.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        shopId: shop.id,
        customerId: BigInt(base + i),
      })),
    });
    // Two orders each; spend i × 37 cents per order; every 7th member's second order is a year old
    // (outside the window) and every 5th member's first order has a 20.00 refund.
    const orders = Array.from({ length: count * 2 }, (_, k) => {
      const i = Math.floor(k / 2);
      const old = k % 2 === 1 && i % 7 === 0;
      return {
        shopId: shop.id,
        orderId: BigInt(base + k),
        customerId: BigInt(base + i),
        currency: "USD",
        spendMinor: i * 37,
        paidAt: new Date(now.getTime() - (old ? 400 : 30) * 86_400_000),
      };
    });
    await prisma.orderRecord.createMany({ data: orders });
    await prisma.refundRecord.createMany({
      data: Array.from({ length: count / 5 }, (_, j) => ({
        shopId: shop.id,
        orderId: BigInt(base + j * 10),
        refundId: BigInt(base + j),
        lines: [],
        amount: JSON.stringify(["20.00"]),
        amountMinor: 2000,
        // A refund without lines gives back its amount of goods, at most the order's (ADR 0054).
        goodsMinor: Math.min(2000, j * 5 * 37),
        createdAt: new Date(now.getTime() - 10 * 86_400_000),
      })),
    });

    const started = performance.now();
    const report = await changeTiers(shop.id, [silver, gold], now);
    const elapsed = performance.now() - started;

    const expected = (i: number) => {
      // Each order counts the goods it kept: the refund comes off its own order, not below 0.
      const first = i % 5 === 0 ? Math.max(0, i * 37 - 2000) : i * 37;
      const spend = first + (i % 7 === 0 ? 0 : i * 37);
      return spend >= 50_000 ? "gold" : spend >= 10_000 ? "silver" : null;
    };
    const members = await prisma.member.findMany({
      where: { shopId: shop.id, customerId: { gte: BigInt(base) } },
      select: { customerId: true, tierId: true, tierPeriodEndsAt: true },
    });
    const wrong = members.filter((m) => m.tierId !== expected(Number(m.customerId) - base));
    expect(wrong).toEqual([]);
    const placed = members.filter((m) => m.tierId !== null).length;
    // The first test's members are in the shop too: the 150 spender (no tier) qualifies again.
    expect(report.tierChanges).toBe(placed + 1);
    expect(report.members).toBe(count + 4);
    expect(report.batches).toBe(1);
    const events = await prisma.loyaltyEvent.count({
      where: { type: "tier.updated", customerId: { gte: BigInt(base) } },
    });
    expect(events).toBe(placed);
    console.info(`recompute: ${count} members, ${placed} placed in ${elapsed.toFixed(0)} ms`);
  });

  it("a save that changes tiers or expiry queues one recompute job; other saves queue none", async () => {
    const shop = await prisma.shop.findFirstOrThrow();
    const boss = await getBoss();
    const drain = async () => {
      const jobs = await boss.fetch<RecomputeJob>(QUEUES.recompute.name, { batchSize: 10 });
      return jobs ?? [];
    };
    await drain();
    await saveProgram(
      prisma,
      shop.id,
      { tiers: [silver, gold], bonuses: { welcomePoints: 5 } },
      "t",
    );
    expect(await drain()).toEqual([]);

    const saved = await saveProgram(
      prisma,
      shop.id,
      {
        tiers: [silver, gold],
        bonuses: { welcomePoints: 5 },
        expiry: { kind: "inactivity", days: 365 },
      },
      "t",
    );
    const jobs = await drain();
    expect(jobs.map((j) => j.data)).toEqual([
      { shopId: shop.id, fromVersion: saved.version - 1, toVersion: saved.version },
    ]);
    // A Klaviyo connection whose profiles were all sent before the recompute
    const sentBefore = new Date(Date.now() - 60_000);
    await prisma.klaviyoConnection.create({
      data: {
        shopId: shop.id,
        authKind: "api_key",
        encryptedCredential: "not-used-here",
        credentialHint: "pk_…test",
        accountId: "ACCOUNT",
        resyncRequestedAt: sentBefore,
      },
    });
    const report = await runRecompute(jobs[0]!.data);
    expect(report.tierChanges).toBe(0);
    expect(report.members).toBe(await prisma.member.count({ where: { status: "active" } }));
    // THEN every profile is due again, from one write for the shop, not one per member
    const connection = await prisma.klaviyoConnection.findUniqueOrThrow({
      where: { shopId: shop.id },
    });
    expect(connection.resyncRequestedAt!.getTime()).toBeGreaterThan(sentBefore.getTime());
    await prisma.klaviyoConnection.delete({ where: { shopId: shop.id } });
  });

  it("measures lifetime points when the tiers are by points", async () => {
    const shop = await prisma.shop.findFirstOrThrow();
    const member = await prisma.member.create({
      data: { shopId: shop.id, customerId: 777_000_001n, lifetimeEarned: 600, pointsBalance: 0 },
    });
    const bronze = {
      id: "bronze",
      name: "Bronze",
      threshold: { kind: "lifetime_points", points: 100 },
    };
    const star = { id: "star", name: "Star", threshold: { kind: "lifetime_points", points: 500 } };
    await changeTiers(shop.id, [bronze, star]);
    const placed = await prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(placed.tierId).toBe("star");
    const [event] = parsedTierEvents(await eventsOf(777_000_001, "tier.updated"));
    expect(event?.payload).toMatchObject({ change: "spending_assign", current_tier: "Star" });
  });
});
