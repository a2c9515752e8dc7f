import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { parseStoredLoyaltyEvent } from "~/domain/events/index";
import { tierEntryBonusKey } from "~/domain/tiers/index";
import { programInForce, saveProgram } from "~/services/program/versions.server";
import { recomputeMembers } from "~/services/recompute/run.server";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";

const silver = {
  id: "silver",
  name: "Silver",
  threshold: { kind: "spend_365d", minor: 10_000 },
  entryBonusPoints: 50,
};
const gold = {
  id: "gold",
  name: "Gold",
  threshold: { kind: "spend_365d", minor: 50_000 },
  entryBonusPoints: 200,
};

async function changeTiers(shopId: string, tiers: object[]) {
  const previous = await programInForce(prisma, shopId);
  const saved = await saveProgram(prisma, shopId, { tiers }, "test");
  return recomputeMembers(shopId, previous.config, saved.config, saved.changed);
}

async function tierBonuses(memberId: string) {
  return prisma.ledgerEntry.findMany({
    where: { memberId, source: "tier_bonus" },
    orderBy: { createdAt: "asc" },
  });
}

describe("tier entry bonus on a recompute upgrade", () => {
  it("pays the new tier's bonus once, and a later order does not pay it again", async () => {
    // GIVEN a customer who spent 600 while Silver (bonus 50) was the only tier
    const store = newStore();
    const customer = store.addCustomer({ email: "big@example.com" });
    await deliver("customers/create", customer);
    const shop = await prisma.shop.findFirstOrThrow();
    await saveProgram(prisma, shop.id, { tiers: [silver] }, "test");
    await deliver(
      "orders/paid",
      store.addPaidOrder(customer, [{ title: "Goods", price: "600.00", quantity: 1 }]),
    );
    const before = (await memberOf(customer.id))!;
    expect(before.tierId).toBe("silver");
    expect((await tierBonuses(before.id)).map((e) => e.points)).toEqual([50]);

    // WHEN Gold (500, bonus 200) is added and the recompute runs, twice
    const first = await changeTiers(shop.id, [silver, gold]);
    const again = await recomputeMembers(
      shop.id,
      (await programInForce(prisma, shop.id)).config,
      (await programInForce(prisma, shop.id)).config,
      ["tiers"],
    );

    // THEN the member is Gold with Gold's bonus paid once, under the order path's key
    expect(first).toMatchObject({ tierChanges: 1, entryBonuses: 1 });
    expect(again).toMatchObject({ tierChanges: 0, entryBonuses: 0 });
    const upgraded = (await memberOf(customer.id))!;
    expect(upgraded.tierId).toBe("gold");
    expect(upgraded.pointsBalance).toBe(before.pointsBalance + 200);
    expect(upgraded.lifetimeEarned).toBe(before.lifetimeEarned + 200);
    const bonuses = await tierBonuses(before.id);
    expect(bonuses.map((e) => [e.idempotencyKey, e.points, e.balanceAfter])).toEqual([
      [tierEntryBonusKey(before.id, "silver"), 50, expect.any(Number)],
      [tierEntryBonusKey(before.id, "gold"), 200, before.pointsBalance + 200],
    ]);
    await expectBalanceMatchesLedger(customer.id);
    const [added] = (await eventsOf(customer.id, "points.added"))
      .map((event) => parseStoredLoyaltyEvent(event))
      .filter((event) => event.type === "points.added" && event.payload.source === "tier_bonus")
      .slice(-1);
    expect(added?.payload).toMatchObject({ points: 200, source: "tier_bonus", order_id: null });
    expect(added?.snapshot).toMatchObject({
      vip_tier: "Gold",
      points_balance: before.pointsBalance + 200,
    });
    const deliveries = await prisma.eventDelivery.findMany({ where: { eventId: added!.id } });
    expect(deliveries.map((d) => d.destination).sort()).toEqual(["flow", "klaviyo", "omnisend"]);

    // WHEN another order is paid (the order path re-evaluates the tier)
    await deliver(
      "orders/paid",
      store.addPaidOrder(customer, [{ title: "More", price: "20.00", quantity: 1 }]),
    );

    // THEN no bonus is paid twice
    expect((await tierBonuses(before.id)).map((e) => e.points)).toEqual([50, 200]);
    await expectBalanceMatchesLedger(customer.id);
  });

  it("pays no bonus the member already had for that tier", async () => {
    // GIVEN the Gold member, who got Gold's bonus, re-placed in Silver when Gold was deleted
    const shop = await prisma.shop.findFirstOrThrow();
    const member = (await prisma.member.findFirst({ where: { tierId: "gold" } }))!;
    await changeTiers(shop.id, [silver]);
    expect((await prisma.member.findUniqueOrThrow({ where: { id: member.id } })).tierId).toBe(
      "silver",
    );

    // WHEN Gold comes back and the recompute upgrades the member again
    const report = await changeTiers(shop.id, [silver, gold]);

    // THEN the upgrade is recorded, but Gold's bonus is not paid a second time
    expect(report).toMatchObject({ tierChanges: 1, entryBonuses: 0 });
    const after = await prisma.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(after.tierId).toBe("gold");
    expect(after.pointsBalance).toBe(member.pointsBalance);
  });

  it("records the tier's reward grant once, under the order path's key", async () => {
    // GIVEN a Silver member, and a catalog reward the merchant grants on tier entry
    const store = newStore();
    const customer = store.addCustomer({ email: "granted@example.com" });
    await deliver("customers/create", customer);
    const shop = await prisma.shop.findFirstOrThrow();
    await saveProgram(
      prisma,
      shop.id,
      { tiers: [silver], bonuses: { tierEntryRewardHandle: "vip-gift" } },
      "test",
    );
    await deliver(
      "orders/paid",
      store.addPaidOrder(customer, [{ title: "Goods", price: "600.00", quantity: 1 }]),
    );
    const member = (await memberOf(customer.id))!;
    const grants = () =>
      prisma.rewardGrant.findMany({
        where: { memberId: member.id },
        orderBy: { createdAt: "asc" },
      });
    expect((await grants()).map((g) => g.idempotencyKey)).toEqual([
      `grant:tier_entry:${member.id}:silver`,
    ]);

    // WHEN Gold is added (the recompute upgrades), the recompute runs again, and an order follows
    const previous = await programInForce(prisma, shop.id);
    const saved = await saveProgram(
      prisma,
      shop.id,
      { tiers: [silver, gold], bonuses: { tierEntryRewardHandle: "vip-gift" } },
      "test",
    );
    await recomputeMembers(shop.id, previous.config, saved.config, saved.changed);
    await recomputeMembers(shop.id, saved.config, saved.config, ["tiers"]);
    await deliver(
      "orders/paid",
      store.addPaidOrder(customer, [{ title: "More", price: "10.00", quantity: 1 }]),
    );

    // THEN Gold's reward is owed once, for the job to issue
    expect(
      (await grants()).map((g) => [g.occasion, g.rewardHandle, g.idempotencyKey, g.state]),
    ).toEqual([
      ["tier_entry", "vip-gift", `grant:tier_entry:${member.id}:silver`, "pending"],
      ["tier_entry", "vip-gift", `grant:tier_entry:${member.id}:gold`, "pending"],
    ]);
  });
});
