import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import type { LoyaltyError } from "~/services/errors";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";
import { voidRedemption } from "~/services/rewards/redemption/void.server";
import { deliver, eventsOf, expectBalanceMatchesLedger, memberOf } from "../../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";

let keys = 0;
const DAY = 86_400_000;

async function issued(points = 2000, at = new Date()) {
  const member = await memberWithPoints(points);
  await catalog(member.shopId, FIVE_OFF);
  const api = adminCallFor(member.api);
  const reward = await redeemReward(
    api,
    {
      shopId: member.shopId,
      customerId: member.customerId,
      reward: { handle: FIVE_OFF.handle },
      requestKey: `life:${++keys}`,
      source: "points_redemption",
    },
    at,
  );
  return { member, api, reward, customerId: Number(member.customerId) };
}

const stateOf = async (id: string) =>
  (await prisma.redemption.findUniqueOrThrow({ where: { id } })).state;

describe("reward.used", () => {
  it("an order paid with the code marks the reward used once, whatever the code's case or redeliveries", async () => {
    const { member, reward, customerId } = await issued();
    const order = member.store.addPaidOrder(
      member.customer,
      [{ title: "Mug", price: "20.00", quantity: 1 }],
      {
        discountCodes: [{ code: reward.code!.toLowerCase(), amount: "5.00", type: "fixed_amount" }],
      },
    );

    await deliver("orders/paid", order);
    await deliver("orders/paid", order);

    expect(await stateOf(reward.redemptionId)).toBe("used");
    const used = await eventsOf(customerId, "reward.used");
    expect(used.map((e) => e.payload)).toEqual([
      {
        reward_id: reward.redemptionId,
        reward_name: "$5 off",
        reward_type: "discount_code",
        code: reward.code,
        order_id: String(order.id),
        order_name: order.name,
      },
    ]);
  });

  it("ignores codes that are not loyalty rewards", async () => {
    const { member, reward } = await issued();
    const order = member.store.addPaidOrder(
      member.customer,
      [{ title: "Mug", price: "20.00", quantity: 1 }],
      {
        discountCodes: [{ code: "SUMMER10", amount: "2.00", type: "fixed_amount" }],
      },
    );

    await deliver("orders/paid", order);

    expect(await stateOf(reward.redemptionId)).toBe("issued");
  });
});

describe("expiry", () => {
  it("reminds once N days before, then expires the unused reward without returning points", async () => {
    const start = new Date("2026-11-23T15:00:00Z");
    const { member, reward, customerId } = await issued(2000, start);
    const balance = (await memberOf(customerId))!.pointsBalance;

    // Other tests' rewards share the shop, so this counts this member's events, not the summary.
    const count = async (type: string) => (await eventsOf(customerId, type)).length;
    const dayAfterStart = (days: number) =>
      runDailyMaintenance(member.shopId, new Date(start.getTime() + days * DAY));

    await dayAfterStart(20);
    expect(await count("reward.expiring")).toBe(0);
    await dayAfterStart(24);
    await dayAfterStart(25);
    expect(await count("reward.expiring")).toBe(1);
    expect(await count("reward.expired")).toBe(0);
    const expired = await dayAfterStart(31);

    expect(expired.rewardsExpired).toBeGreaterThanOrEqual(1);
    expect((await eventsOf(customerId, "reward.expiring")).map((e) => e.payload)).toEqual([
      expect.objectContaining({
        code: reward.code,
        days_left: 6,
        expires_at: "2026-12-23T15:00:00.000Z",
      }),
    ]);
    expect((await eventsOf(customerId, "reward.expired")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ code: reward.code, reason: "expired" }),
    ]);
    expect(await stateOf(reward.redemptionId)).toBe("expired");
    expect((await memberOf(customerId))!.pointsBalance).toBe(balance);
  });
});

describe("voiding an unused reward", () => {
  it("deactivates the code, returns the points once and records reward.expired (voided)", async () => {
    const { member, api, reward, customerId } = await issued(2000);

    const result = await voidRedemption(api, member.shopId, reward.redemptionId, "customer asked");
    const twice = await voidRedemption(api, member.shopId, reward.redemptionId, "again").catch(
      (e: unknown) => e,
    );

    expect(result).toEqual({ pointsReturned: 500 });
    expect((twice as LoyaltyError).code).toBe("invalid_input");
    expect((await memberOf(customerId))!.pointsBalance).toBe(2000);
    const code = member.store.adminApi.discountByCode(reward.code!);
    expect(code?.endsAt?.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await eventsOf(customerId, "points.added")).at(-1)?.payload).toMatchObject({
      points: 500,
      source: "reward_redemption_reverted",
    });
    expect((await eventsOf(customerId, "reward.expired")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ code: reward.code, reason: "voided" }),
    ]);
    await expectBalanceMatchesLedger(customerId);
  });

  it("changes nothing when Shopify cannot deactivate the code, or the reward was used", async () => {
    const { member, api, reward, customerId } = await issued(2000);
    member.store.adminApi.injectFault({ field: "discountCodeDeactivate", kind: "http500" });

    const failed = await voidRedemption(api, member.shopId, reward.redemptionId, "x").catch(
      (e: unknown) => e,
    );

    expect((failed as LoyaltyError).code).toBe("shopify_unavailable");
    expect(await stateOf(reward.redemptionId)).toBe("issued");
    expect((await memberOf(customerId))!.pointsBalance).toBe(1500);

    const order = member.store.addPaidOrder(
      member.customer,
      [{ title: "Mug", price: "20.00", quantity: 1 }],
      {
        discountCodes: [{ code: reward.code!, amount: "5.00", type: "fixed_amount" }],
      },
    );
    await deliver("orders/paid", order);
    const afterUse = await voidRedemption(api, member.shopId, reward.redemptionId, "x").catch(
      (e: unknown) => e,
    );
    expect((afterUse as LoyaltyError).message).toMatch(/this one is used/);
    const unknown = await voidRedemption(api, member.shopId, "not-a-redemption", "x").catch(
      (e: unknown) => e,
    );
    expect((unknown as LoyaltyError).code).toBe("reward_not_found");
  });
});
