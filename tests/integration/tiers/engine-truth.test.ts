import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { memberProfile } from "~/services/members/profile.server";
import { saveProgram } from "~/services/program/versions.server";
import { saveReward } from "~/services/rewards/catalog.server";
import { loader as memberRoute } from "~/routes/proxy.member";
import { deliver, eventsOf, expectBalanceMatchesLedger, memberOf } from "../../support/deliveries";
import { SILVER_GOLD, shopWithTiers } from "../../support/tiers";
import { installTestShop } from "../../support/admin";
import { adminCallFor, FIVE_OFF } from "../../support/rewards";
import { createTestAdminApi } from "../../../sandbox/shopify/admin-graphql/testing";
import { issuePendingGrants } from "~/services/rewards/grants/issue.server";
import { revokeUndoneGrants } from "~/services/rewards/grants/revoke.server";
import { API_SECRET, APP_URL, TEST_SHOP } from "../../support/webhooks";
import { signAppProxyQuery } from "../../../sandbox/shopify/signing";

/** GET /apps/loyalty/<path> as Shopify's App Proxy signs it, for a signed-in customer. */
function signedProxy(path: string, customerId: string) {
  const params = {
    shop: TEST_SHOP,
    logged_in_customer_id: customerId,
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
  };
  const query = new URLSearchParams({
    ...params,
    signature: signAppProxyQuery(params, API_SECRET),
  });
  return new Request(`${APP_URL}/proxy/${path}?${query}`);
}

// ADR 0054, rule by rule, through signed webhooks and with the exact events: a cancellation undoes
// the upgrade it paid for, tier spend counts goods (a refund takes off goods, not its total), a
// late earlier order revalues a later order's multiplier, an undone entry withdraws its reward,
// and a late review measures the period at its end.

const DAY = 86_400_000;
const GENEROUS_BUCKET = { maxAvailable: 1_000_000, restoreRate: 100_000 };
describe("a cancellation undoes the upgrade it paid for", () => {
  it("back to the tier held before, with its dates, the entry bonus taken back", async () => {
    const { store } = await shopWithTiers();
    const ana = store.addCustomer({ email: "ana-undo@example.com" });
    const first = store.addPaidOrder(ana, [{ title: "Chair", price: "200.00", quantity: 1 }], {
      at: new Date(Date.now() - 30 * DAY),
    });
    const second = store.addPaidOrder(ana, [{ title: "Sofa", price: "900.00", quantity: 1 }], {
      at: new Date(Date.now() - 10 * DAY),
    });
    await deliver("orders/paid", first);
    await deliver("orders/paid", second);
    const gold = await memberOf(ana.id);
    expect(gold?.tierId).toBe("gold");

    await deliver(
      "orders/cancelled",
      store.cancelOrder(second, "customer", new Date(Date.now() - DAY)),
    );

    const member = await memberOf(ana.id);
    expect(member).toMatchObject({
      tierId: "silver",
      tierEnteredAt: new Date(first.processed_at!),
    });
    // 200 + 10 (Silver) + 900 (at Silver's 1×) + 100 (Gold) − 900 − 100 = 210
    expect(member?.pointsBalance).toBe(210);
    const tierEvents = (await eventsOf(ana.id, "tier.updated")).map((e) => e.payload);
    expect(tierEvents).toEqual([
      expect.objectContaining({
        change: "spending_assign",
        reason: "spend",
        current_tier: "Silver",
      }),
      expect.objectContaining({
        change: "spending_upgrade",
        reason: "spend",
        current_tier: "Gold",
      }),
      expect.objectContaining({
        change: "spending_downgrade",
        reason: "cancellation",
        previous_tier: "Gold",
        current_tier: "Silver",
      }),
    ]);
    const subtracted = (await eventsOf(ana.id, "points.subtracted")).map((e) => e.payload);
    expect(subtracted).toEqual([
      expect.objectContaining({
        points: 900,
        source: "order_cancelled",
        order_id: String(second.id),
      }),
      expect.objectContaining({
        points: 100,
        source: "order_cancelled",
        order_id: String(second.id),
      }),
    ]);
    await expectBalanceMatchesLedger(ana.id);
  });
});

describe("one spend basis: goods, less the goods given back", () => {
  it("a refund of a line with tax and shipping takes off that line's goods only", async () => {
    const { store, shopId } = await shopWithTiers();
    const bo = store.addCustomer({ email: "bo-spend@example.com" });
    const order = store.addPaidOrder(
      bo,
      [
        { title: "Boots", price: "540.00", quantity: 1 },
        { title: "Socks", price: "80.00", quantity: 2 },
      ],
      { tax: "56.00", shipping: "12.00" },
    );
    await deliver("orders/paid", order);
    // WHEN one pair of socks comes back (80.00 of goods; the refund's total includes its tax)
    const refund = store.refundLineItem(order, order.line_items[1]!.id, 1);
    refund.transactions[0]!.amount = "86.40";
    await deliver("refunds/create", refund);

    // THEN 620.00 counts: 380.00 more to Gold, in the admin and on the storefront
    const member = (await memberOf(bo.id))!;
    const profile = await memberProfile(shopId, member.id, undefined, new Date());
    expect(profile.tier.spendMinor).toBe(620_00);
    expect(profile.tier.next).toMatchObject({ name: "Gold", remaining: 380_00 });
    await installTestShop();
    const response = await memberRoute({
      request: signedProxy("member", String(bo.id)),
      params: {},
      context: {},
    });
    const body = (await response.json()) as { member: { tier: unknown } };
    expect(body.member.tier).toMatchObject({ name: "Silver" });
    expect(JSON.stringify(body.member)).toContain('"remaining":38000');
    const refunded = await prisma.refundRecord.findFirstOrThrow({
      where: { refundId: BigInt(refund.id) },
    });
    expect(refunded.goodsMinor).toBe(80_00);
  });
});

describe("bad input: a refund larger than its order", () => {
  it("takes the order's spend and points to zero, never below, and leaves other orders alone", async () => {
    const { store, shopId } = await shopWithTiers();
    const fay = store.addCustomer({ email: "fay-over@example.com" });
    const kept = store.addPaidOrder(fay, [{ title: "Pot", price: "150.00", quantity: 1 }]);
    const small = store.addPaidOrder(fay, [{ title: "Pan", price: "40.00", quantity: 1 }]);
    // A refund the app sees before its order (stored, applied when the order arrives), for more
    // money than the order's goods and with no lines
    const refund = store.refundLineItem(small, small.line_items[0]!.id, 1);
    refund.refund_line_items = [];
    refund.transactions[0]!.amount = "95.00";
    await deliver("refunds/create", refund);
    await deliver("orders/paid", kept);
    await deliver("orders/paid", small);

    const member = (await memberOf(fay.id))!;
    // 150 + 10 (Silver) + 40 − 40: the small order holds 0 points, the other keeps its own
    expect(member).toMatchObject({ tierId: "silver", pointsBalance: 160 });
    const profile = await memberProfile(shopId, member.id, undefined, new Date());
    expect(profile.tier.spendMinor).toBe(150_00);
    const net = await prisma.ledgerEntry.aggregate({
      where: { memberId: member.id, orderId: BigInt(small.id) },
      _sum: { points: true },
    });
    expect(net._sum.points).toBe(0);
    await expectBalanceMatchesLedger(fay.id);
  });
});

describe("an order earns at the tier it was paid in, whatever arrives first", () => {
  it("a late earlier order that reached Gold revalues the later order once", async () => {
    const { store } = await shopWithTiers();
    const cy = store.addCustomer({ email: "cy-late@example.com" });
    const big = store.addPaidOrder(cy, [{ title: "Bike", price: "1200.00", quantity: 1 }], {
      at: new Date(Date.now() - 20 * DAY),
    });
    const small = store.addPaidOrder(cy, [{ title: "Bell", price: "50.00", quantity: 1 }], {
      at: new Date(Date.now() - 5 * DAY),
    });
    // The later order first: it earns 50 at no tier
    await deliver("orders/paid", small);
    expect((await memberOf(cy.id))?.pointsBalance).toBe(50);

    // WHEN the earlier order arrives: Gold from 20 days ago, so the bell was bought at Gold's 2×
    await deliver("orders/paid", big);
    await deliver("orders/paid", big, "redelivered");

    const member = await memberOf(cy.id);
    expect(member?.tierId).toBe("gold");
    // 50 + 1200 + 100 (Gold bonus) + 50 (the bell again at 2×)
    expect(member?.pointsBalance).toBe(1_400);
    const restated = await prisma.ledgerEntry.findMany({
      where: { memberId: member!.id, idempotencyKey: { contains: ":restate:" } },
    });
    expect(restated.map((e) => [e.idempotencyKey, e.points])).toEqual([
      [`order:${small.id}:restate:1`, 50],
    ]);
    await expectBalanceMatchesLedger(cy.id);
  });
});

describe("an undone entry withdraws its reward", () => {
  it("a pending tier entry reward is revoked when the refund undoes the tier", async () => {
    const { store, shopId } = await shopWithTiers();
    await saveReward(shopId, { ...FIVE_OFF, handle: "vip-gift", name: "VIP gift" });
    await saveProgram(
      prisma,
      shopId,
      { tiers: SILVER_GOLD, bonuses: { tierEntryRewardHandle: "vip-gift" } },
      "test",
    );
    const di = store.addCustomer({ email: "di-gift@example.com" });
    const order = store.addPaidOrder(di, [{ title: "Lamp", price: "150.00", quantity: 1 }]);
    await deliver("orders/paid", order);
    const member = (await memberOf(di.id))!;
    const granted = await prisma.rewardGrant.findMany({ where: { memberId: member.id } });
    expect(granted.map((g) => [g.occasion, g.state])).toEqual([["tier_entry", "pending"]]);

    await deliver("refunds/create", store.refundLineItem(order, order.line_items[0]!.id, 1));

    const after = await prisma.rewardGrant.findMany({ where: { memberId: member.id } });
    expect(after.map((g) => [g.occasion, g.state])).toEqual([["tier_entry", "revoked"]]);
    expect((await memberOf(di.id))?.tierId).toBeNull();
  });

  it("an issued tier entry code is voided at Shopify when the refund undoes the tier; a used one stays", async () => {
    const { store, shopId } = await shopWithTiers();
    await saveReward(shopId, { ...FIVE_OFF, handle: "vip-code", name: "VIP code" });
    await saveProgram(
      prisma,
      shopId,
      { tiers: SILVER_GOLD, bonuses: { tierEntryRewardHandle: "vip-code" } },
      "test",
    );
    const api = adminCallFor(createTestAdminApi({ store, bucket: GENEROUS_BUCKET }));
    const enter = async (email: string) => {
      const customer = store.addCustomer({ email });
      const order = store.addPaidOrder(customer, [{ title: "Lamp", price: "150.00", quantity: 1 }]);
      await deliver("orders/paid", order);
      await issuePendingGrants(shopId, api);
      const member = (await memberOf(customer.id))!;
      const [grant] = await prisma.rewardGrant.findMany({ where: { memberId: member.id } });
      const redemption = await prisma.redemption.findUniqueOrThrow({
        where: { id: grant!.redemptionId! },
      });
      return { customer, order, member, grant: grant!, code: redemption.code! };
    };
    const unused = await enter("eve-unused@example.com");
    const used = await enter("fay-used@example.com");
    // Fay spends her code before her first order is refunded.
    await deliver(
      "orders/paid",
      store.addPaidOrder(used.customer, [{ title: "Cup", price: "20.00", quantity: 1 }], {
        discountCodes: [{ code: used.code, amount: "5.00", type: "fixed_amount" }],
      }),
    );

    for (const { order } of [unused, used]) {
      await deliver("refunds/create", store.refundLineItem(order, order.line_items[0]!.id, 1));
    }
    const states = async () =>
      (
        await prisma.rewardGrant.findMany({
          where: { id: { in: [unused.grant.id, used.grant.id] } },
        })
      )
        .sort((a, b) => (a.id === unused.grant.id ? -1 : b.id === unused.grant.id ? 1 : 0))
        .map((g) => g.state);
    expect(await states()).toEqual(["revoking", "revoking"]);

    expect(await revokeUndoneGrants(shopId, api)).toEqual({ revoked: 1, kept: 1, waiting: 0 });
    expect(await revokeUndoneGrants(shopId, api)).toEqual({ revoked: 0, kept: 0, waiting: 0 });

    expect(await states()).toEqual(["revoked", "issued"]);
    const discount = store.adminApi.discountByCode(unused.code)!;
    expect(discount.endsAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await eventsOf(unused.customer.id, "reward.expired")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ code: unused.code, reason: "voided" }),
    ]);
    expect(await eventsOf(used.customer.id, "reward.expired")).toEqual([]);
  });
});

describe("a late daily run reviews the period at its end", () => {
  it("counts the orders of the year up to the period end, not up to the run", async () => {
    const { store, shopId } = await shopWithTiers({ program: { tierRules: { periodDays: 365 } } });
    const ed = store.addCustomer({ email: "ed-late@example.com" });
    const now = Date.now();
    const entered = new Date(now - 300 * DAY);
    await deliver(
      "orders/paid",
      store.addPaidOrder(ed, [{ title: "Coat", price: "120.00", quantity: 1 }], { at: entered }),
    );
    // A smaller order later keeps Silver at the review (its maintain bar is its entry bar)
    await deliver(
      "orders/paid",
      store.addPaidOrder(ed, [{ title: "Hat", price: "100.00", quantity: 1 }], {
        at: new Date(now - 200 * DAY),
      }),
    );
    // WHEN the daily run only comes 135 days after the period ended (the hat out of its window)
    await runDailyMaintenance(shopId, new Date(now + 200 * DAY));

    // THEN the period was reviewed at its end, with the hat in its window: kept, once
    const member = await memberOf(ed.id);
    expect(member).toMatchObject({
      tierId: "silver",
      tierPeriodEndsAt: new Date(entered.getTime() + 2 * 365 * DAY),
    });
    const changes = (await eventsOf(ed.id, "tier.updated")).map((e) => e.payload);
    expect(changes).toEqual([
      expect.objectContaining({ change: "spending_assign", reason: "spend" }),
      expect.objectContaining({ change: "spending_extend", reason: "period_end" }),
    ]);
  });
});
