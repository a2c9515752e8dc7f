import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { toMinorUnits } from "~/domain/money";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";
import { loader } from "~/routes/app.dashboard";
import { rollUpDashboardDays } from "~/services/dashboard/rollup.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { adminRequest, callLoader, dataOf, installTestShop } from "../../support/admin";
import { deliver } from "../../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";
import { TEST_SHOP } from "../../support/webhooks";

type Dashboard = Awaited<ReturnType<typeof loader>>;
const DAY = 86_400_000;
const ZONE = "America/New_York";
const TIERS = [
  { id: "silver", name: "Silver", threshold: { kind: "lifetime_points", points: 100 } },
  { id: "gold", name: "Gold", threshold: { kind: "lifetime_points", points: 1000 } },
];

let shopId: string;
let otherShopId: string;

async function dashboard(query = ""): Promise<Dashboard> {
  return dataOf(await callLoader(loader, await adminRequest(`/app/dashboard?${query}`)));
}

const ago = (days: number, minutes = 0) => new Date(Date.now() - days * DAY - minutes * 60_000);

/**
 * A known ledger: [days ago, kind, points]. Issued counts earn/bonus/manual/adjustment credits;
 * redeemed is the net of redemption entries; expired the expiry debits; the rest counts nowhere.
 */
const LEDGER: [number, string, number][] = [
  [0, "earn", 100],
  [3, "bonus", 50],
  [3, "manual", 30],
  [3, "manual", -10],
  [3, "clawback", -5],
  [20, "redemption", -40],
  [20, "redemption", 40],
  [20, "redemption", -25],
  [60, "expiry", -15],
  [200, "earn", 1000],
  [200, "adjustment", 3],
  [400, "earn", 7],
];

/** Members of the known shop: [customer id, status, tier, balance, joined days ago, active days ago]. */
const MEMBERS: [number, string, string | null, number, number, number | null][] = [
  [1, "active", "gold", 700, 2, 0],
  [2, "active", "silver", 300, 10, 3],
  [3, "active", null, -20, 100, 50],
  [4, "active", "silver", 0, 500, null],
  [5, "redacted", null, 900, 1, 1],
];

async function seedShop(id: string, scale: number) {
  const members: { id: string }[] = [];
  for (const [customerId, status, tierId, balance, joined, active] of MEMBERS) {
    members.push(
      await prisma.member.create({
        data: {
          shopId: id,
          customerId: BigInt(customerId),
          status,
          tierId,
          pointsBalance: balance * scale,
          createdAt: ago(joined),
          lastActivityAt: active === null ? null : ago(active, 1),
        },
      }),
    );
  }
  await prisma.ledgerEntry.createMany({
    data: LEDGER.map(([days, kind, points], i) => ({
      shopId: id,
      memberId: members[i % members.length]!.id,
      points: points * scale,
      kind,
      source: "test",
      idempotencyKey: `known:${i}`,
      balanceAfter: 0,
      // A minute before "now" minus the days, so "today" is still today for the loader.
      createdAt: ago(days, 1),
    })),
  });
}

beforeAll(async () => {
  await installTestShop();
  shopId = (await ensureShop(prisma, TEST_SHOP)).id;
  await prisma.shop.update({ where: { id: shopId }, data: { timeZone: ZONE } });
  await prisma.programVersion.create({ data: { shopId, version: 1, config: { tiers: TIERS } } });
  // Another shop with the same customer ids and ten times the points: none of it may count.
  otherShopId = (await ensureShop(prisma, "other-shop.myshopify.com")).id;
  await seedShop(shopId, 1);
  await seedShop(otherShopId, 10);
});

describe("dashboard (admin)", () => {
  it("sums a known ledger per preset period, and nothing of another shop", async () => {
    const expected = {
      "7d": { issued: 180, redeemed: 0, expired: 0 },
      "30d": { issued: 180, redeemed: 25, expired: 0 },
      "90d": { issued: 180, redeemed: 25, expired: 15 },
      "12m": { issued: 1183, redeemed: 25, expired: 15 },
    };
    for (const [preset, points] of Object.entries(expected)) {
      const data = await dashboard(`period=${preset}`);
      expect(data.period.preset, preset).toBe(preset);
      expect(data.points, preset).toEqual(points);
      expect(data.redemptionRate, preset).toBeCloseTo(points.redeemed / points.issued, 10);
    }
    const week = await dashboard("period=7d");
    expect(week.period.days).toBe(7);
    expect(week.series.bucket).toBe("day");
    expect(week.series.points).toHaveLength(7);
    expect(week.series.points.reduce((sum, p) => sum + p.issued, 0)).toBe(180);
    const year = await dashboard("period=12m");
    expect(year.series.bucket).toBe("week");
    expect(year.series.points.reduce((sum, p) => sum + p.issued, 0)).toBe(1183);
  });

  it("counts members, active members, liability and tiers of this shop only", async () => {
    const data = await dashboard("period=7d");
    // Active members 1–4 (5 is redacted); joined in 7 days: 1 and 5; active in 7 days: 1 and 2.
    expect(data.members).toEqual({ total: 4, joined: 2, active: 2 });
    // Positive balances of active members: 700 + 300 (−20 is owed to the shop, not a liability).
    expect(data.liability).toEqual({ points: 1000, valueMinor: null });
    expect(data.pointValue).toBeNull();
    expect(data.tiers).toEqual([
      { id: "silver", name: "Silver", members: 2 },
      { id: "gold", name: "Gold", members: 1 },
      { id: null, name: null, members: 1 },
    ]);
    const quarter = await dashboard("period=90d");
    // In 90 days member 2 joined too, and member 3 (50 days ago) was active.
    expect(quarter.members).toEqual({ total: 4, joined: 3, active: 3 });
  });

  it("prices the liability with the program's pay-with-points rate when there is one", async () => {
    await catalog(shopId, {
      type: "pay_with_points",
      handle: "pay-points",
      name: "Pay with points",
      pointsPerStep: 100,
      amountMinorPerStep: 150,
      minPoints: 100,
      maxPoints: 10_000,
    });
    const data = await dashboard("period=7d");
    expect(data.pointValue).toEqual({ points: 100, minor: 150 });
    expect(data.liability).toEqual({ points: 1000, valueMinor: 1500 });
    await prisma.reward.updateMany({
      where: { shopId, handle: "pay-points" },
      data: { enabled: false },
    });
    expect((await dashboard("period=7d")).liability.valueMinor).toBeNull();
  });

  it("answers a custom range, and refuses bad ranges with the default period instead", async () => {
    const today = (await dashboard()).today;
    const from = (await dashboard("period=90d")).period.from;
    const custom = await dashboard(`from=${from}&to=${today}`);
    expect(custom.periodError).toBeNull();
    expect(custom.period).toMatchObject({ preset: "custom", from, to: today, days: 90 });
    expect(custom.points).toEqual({ issued: 180, redeemed: 25, expired: 15 });

    const bad = {
      "from=2026-02-30&to=2026-03-01": "invalid_date",
      [`from=${today}`]: "invalid_date",
      [`from=${today}&to=${from}`]: "from_after_to",
      [`from=${from}&to=2999-01-01`]: "in_future",
      [`from=2000-01-01&to=${today}`]: "too_long",
    };
    for (const [query, error] of Object.entries(bad)) {
      const data = await dashboard(query);
      expect(data.periodError, query).toBe(error);
      expect(data.period.preset, query).toBe("30d");
      expect(data.points, query).toEqual({ issued: 180, redeemed: 25, expired: 0 });
    }
    // An unknown preset is the default one, not an error.
    expect((await dashboard("period=5y")).period.preset).toBe("30d");
  });

  it("reads ended days from the daily rollup and today from the ledger, with the same sums", async () => {
    const before = await dashboard("period=12m");
    const report = await rollUpDashboardDays(shopId, ZONE);
    expect(report.to).toBe(
      new Date(Date.now() - DAY).toLocaleDateString("en-CA", { timeZone: ZONE }),
    );
    const rolled = await dashboard("period=12m");
    expect(rolled.points).toEqual(before.points);
    expect(rolled.series.points).toEqual(before.series.points);
    // Running it again changes nothing.
    await rollUpDashboardDays(shopId, ZONE);
    expect((await dashboard("period=12m")).points).toEqual(before.points);
    expect(await prisma.dashboardDay.count({ where: { shopId: otherShopId } })).toBe(0);

    // The rolled-up rows are what is read for ended days: a changed row shows (and is put back).
    const day = await prisma.dashboardDay.findFirstOrThrow({
      where: { shopId, issued: 1003n },
    });
    await prisma.dashboardDay.update({
      where: { shopId_day: { shopId, day: day.day } },
      data: { issued: 1004n },
    });
    expect((await dashboard("period=12m")).points.issued).toBe(1184);
    await rollUpDashboardDays(shopId, ZONE);
    // Only the last rolled day (and the one before) is rewritten; put that row back by hand.
    await prisma.dashboardDay.update({
      where: { shopId_day: { shopId, day: day.day } },
      data: { issued: 1003n },
    });

    // Today is not rolled up: an entry made now counts at once.
    const member = await prisma.member.findFirstOrThrow({ where: { shopId } });
    await prisma.ledgerEntry.create({
      data: {
        shopId,
        memberId: member.id,
        points: 11,
        kind: "earn",
        source: "test",
        idempotencyKey: "known:today",
        balanceAfter: 0,
      },
    });
    expect((await dashboard("period=7d")).points.issued).toBe(191);
  });

  it("adds the total of orders paid with a loyalty reward code, once per order", async () => {
    const before = await dashboard("period=7d");
    const member = await memberWithPoints(2000);
    await catalog(member.shopId, FIVE_OFF, { ...FIVE_OFF, handle: "five-off-2" });
    const api = adminCallFor(member.api);
    const redeem = (handle: string, key: string) =>
      redeemReward(api, {
        shopId: member.shopId,
        customerId: member.customerId,
        reward: { handle },
        requestKey: key,
        source: "points_redemption",
      });
    const first = await redeem(FIVE_OFF.handle, "dash:1");
    const second = await redeem("five-off-2", "dash:2");
    // GIVEN one order that used both codes, and one order with a code that is not a reward
    const order = member.store.addPaidOrder(
      member.customer,
      [{ title: "Lamp", price: "80.00", quantity: 1 }],
      {
        discountCodes: [
          { code: first.code!, amount: "5.00", type: "fixed_amount" },
          { code: second.code!, amount: "5.00", type: "fixed_amount" },
        ],
      },
    );
    const plain = member.store.addPaidOrder(
      member.customer,
      [{ title: "Mug", price: "20.00", quantity: 1 }],
      { discountCodes: [{ code: "SUMMER10", amount: "2.00", type: "fixed_amount" }] },
    );
    // WHEN Shopify sends orders/paid (the first one twice)
    await deliver("orders/paid", order);
    await deliver("orders/paid", order);
    await deliver("orders/paid", plain);

    // THEN the reward order counts once, at its total_price in shop currency
    const total = toMinorUnits(order.total_price, order.currency);
    expect(total).toBeGreaterThan(0);
    const used = await prisma.redemption.findMany({
      where: { id: { in: [first.redemptionId, second.redemptionId] } },
    });
    expect(used.map((r) => [r.state, r.usedOrderTotalMinor])).toEqual([
      ["used", total],
      ["used", total],
    ]);
    const after = await dashboard("period=7d");
    expect(after.rewardOrders).toEqual({
      orders: before.rewardOrders.orders + 1,
      revenueMinor: before.rewardOrders.revenueMinor + total,
      rewardsUsed: before.rewardOrders.rewardsUsed + 2,
    });
    // 2,000 points given by the merchant (manual), the two orders' earn entries, and 1,000 spent
    // on the two codes.
    const earned = await prisma.ledgerEntry.aggregate({
      where: { shopId, kind: "earn", orderId: { in: [BigInt(order.id), BigInt(plain.id)] } },
      _sum: { points: true },
    });
    expect(earned._sum.points).toBeGreaterThan(0);
    expect(after.points.issued - before.points.issued).toBe(2000 + earned._sum.points!);
    expect(after.points.redeemed - before.points.redeemed).toBe(1000);
  });

  it("shows the empty state's data for a shop with nothing yet", async () => {
    await prisma.ledgerEntry.deleteMany({ where: { shopId } });
    await prisma.redemption.deleteMany({ where: { shopId } });
    await prisma.member.deleteMany({ where: { shopId } });
    await prisma.dashboardDay.deleteMany({ where: { shopId } });
    const data = await dashboard("period=30d");
    expect(data.members).toEqual({ total: 0, joined: 0, active: 0 });
    expect(data.points).toEqual({ issued: 0, redeemed: 0, expired: 0 });
    expect(data.redemptionRate).toBeNull();
    expect(data.series.points).toHaveLength(30);
    expect(data.series.points.every((p) => p.issued === 0)).toBe(true);
  });
});
