import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { LoyaltyError } from "~/services/errors";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";
import type { RedemptionRequest } from "~/services/rewards/redemption/hold.server";
import { eventsOf, expectBalanceMatchesLedger, memberOf } from "../../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";

let requests = 0;
const request = (
  member: { shopId: string; customerId: bigint },
  reward: RedemptionRequest["reward"],
  extra: Partial<RedemptionRequest> = {},
): RedemptionRequest => ({
  shopId: member.shopId,
  customerId: member.customerId,
  reward,
  requestKey: `test:${++requests}`,
  source: "points_redemption",
  ...extra,
});

async function loyaltyError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoyaltyError);
  return error as LoyaltyError;
}

describe("redeeming points for a discount code", () => {
  it("spends the points, creates a one-use code for that customer only, and records reward.issued", async () => {
    const member = await memberWithPoints(800);
    await catalog(member.shopId, FIVE_OFF);

    const issued = await redeemReward(
      adminCallFor(member.api),
      request(member, { handle: "five-off" }),
      new Date("2026-11-23T12:00:00Z"),
    );

    expect(issued).toMatchObject({
      rewardName: "$5 off",
      valueFormatted: "$5.00 off",
      pointsSpent: 500,
    });
    const code = member.store.adminApi.discountByCode(issued.code!);
    expect(code).toMatchObject({
      usageLimit: 1,
      customers: [Number(member.customerId)],
      value: { type: "fixedAmount", cents: 500 },
      endsAt: new Date("2026-12-23T12:00:00Z"),
    });
    expect((await memberOf(Number(member.customerId)))?.pointsBalance).toBe(300);
    const [event] = await eventsOf(Number(member.customerId), "reward.issued");
    expect(event?.payload).toEqual({
      reward_id: issued.redemptionId,
      reward_name: "$5 off",
      reward_type: "discount_code",
      source: "points_redemption",
      code: issued.code,
      value_minor: 500,
      value_percentage: null,
      currency: "USD",
      value_formatted: "$5.00 off",
      expires_at: "2026-12-23T12:00:00.000Z",
      points_spent: 500,
    });
    expect(event?.snapshot).toMatchObject({ points_balance: 300 });
    expect(await eventsOf(Number(member.customerId), "points.subtracted")).toHaveLength(1);
    await expectBalanceMatchesLedger(Number(member.customerId));
  });

  it("answers a retried request with the same reward and spends nothing twice", async () => {
    const member = await memberWithPoints(1000);
    await catalog(member.shopId, FIVE_OFF);
    const once = request(member, { handle: "five-off" });

    const first = await redeemReward(adminCallFor(member.api), once);
    const again = await redeemReward(adminCallFor(member.api), once);

    expect(again).toMatchObject({
      redemptionId: first.redemptionId,
      code: first.code,
      fresh: false,
    });
    expect((await memberOf(Number(member.customerId)))?.pointsBalance).toBe(500);
    expect(member.store.adminApi.discountCodes.size).toBe(1);
  });

  it("issues each kind of reward as the Shopify object it is", async () => {
    const member = await memberWithPoints(10_000);
    await catalog(
      member.shopId,
      { type: "percentage", handle: "ten-pct", name: "10% off", pointsCost: 100, percentage: 10 },
      { type: "free_shipping", handle: "ship", name: "Free shipping", pointsCost: 100 },
      { type: "free_product", handle: "mug", name: "Free mug", pointsCost: 100, variantId: "4242" },
      {
        type: "store_credit",
        handle: "credit",
        name: "$3 credit",
        pointsCost: 100,
        amountMinor: 300,
      },
      { type: "gift_card", handle: "card", name: "$4 card", pointsCost: 100, amountMinor: 400 },
      {
        type: "pay_with_points",
        handle: "pay",
        name: "Pay with points",
        pointsPerStep: 100,
        amountMinorPerStep: 100,
        minPoints: 100,
        maxPoints: 5000,
      },
    );
    const api = adminCallFor(member.api);
    const redeem = (handle: string, points?: number) =>
      redeemReward(api, request(member, { handle }, { points }));
    const state = member.store.adminApi;

    const pct = await redeem("ten-pct");
    const ship = await redeem("ship");
    const mug = await redeem("mug");
    const credit = await redeem("credit");
    const card = await redeem("card");
    const pay = await redeem("pay", 700);

    expect(state.discountByCode(pct.code!)?.value).toEqual({ type: "percentage", percentage: 0.1 });
    expect(state.discountByCode(ship.code!)?.kind).toBe("freeShipping");
    expect(state.discountByCode(mug.code!)).toMatchObject({
      value: { type: "percentage", percentage: 1 },
      items: { productIds: [], variantIds: [4242] },
    });
    expect(credit.code).toBeNull();
    expect(state.storeCreditAccountsOf(Number(member.customerId))[0]?.transactions).toMatchObject([
      { kind: "credit", cents: 300 },
    ]);
    expect(state.giftCardByCode(card.code!)).toMatchObject({ initialCents: 400 });
    expect(state.discountByCode(pay.code!)?.value).toMatchObject({
      type: "fixedAmount",
      cents: 700,
    });
    expect((await memberOf(Number(member.customerId)))?.pointsBalance).toBe(10_000 - 500 - 700);
    await expectBalanceMatchesLedger(Number(member.customerId));
  });
});

describe("bad input changes nothing", () => {
  async function expectUnchanged(
    member: Awaited<ReturnType<typeof memberWithPoints>>,
    run: () => Promise<unknown>,
  ) {
    const before = await memberOf(Number(member.customerId));
    const redemptions = await prisma.redemption.count();
    const error = await loyaltyError(run());
    expect((await memberOf(Number(member.customerId)))?.pointsBalance).toBe(before?.pointsBalance);
    expect(await prisma.redemption.count()).toBe(redemptions);
    expect(member.store.adminApi.discountCodes.size).toBe(0);
    return error;
  }

  it("refuses unknown and disabled rewards, tiers that may not redeem, too few points and bad amounts", async () => {
    const member = await memberWithPoints(400);
    await catalog(
      member.shopId,
      FIVE_OFF,
      { ...FIVE_OFF, handle: "off", enabled: false },
      { ...FIVE_OFF, handle: "gold-only", pointsCost: 100, eligibleTierIds: ["gold"] },
      {
        type: "pay_with_points",
        handle: "pay",
        name: "Pay with points",
        pointsPerStep: 100,
        amountMinorPerStep: 100,
        minPoints: 100,
        maxPoints: 300,
      },
    );
    const api = adminCallFor(member.api);
    const cases: [RedemptionRequest, LoyaltyError["code"], RegExp][] = [
      [request(member, { handle: "nope" }), "reward_not_found", /no reward "nope"/],
      [
        request(member, { id: "00000000-0000-4000-8000-000000000000" }),
        "reward_not_found",
        /no reward/,
      ],
      [request(member, { handle: "off" }), "reward_unavailable", /not available/],
      [request(member, { handle: "gold-only" }), "reward_unavailable", /VIP tiers/],
      [
        request(member, { handle: "five-off" }),
        "insufficient_points",
        /needs 500 points; the member has 400/,
      ],
      [
        request(member, { handle: "pay" }, { points: -100 }),
        "invalid_input",
        /whole number above 0/,
      ],
      [request(member, { handle: "pay" }, { points: 150.5 }), "invalid_input", /whole number/],
      [request(member, { handle: "pay" }, { points: 250 }), "invalid_input", /multiple of 100/],
      [request(member, { handle: "pay" }, { points: 400 }), "invalid_input", /between 100 and 300/],
      [
        request(member, { handle: "five-off" }, { points: 100 }),
        "invalid_input",
        /Only pay-with-points/,
      ],
      [
        request({ ...member, customerId: 999_999_999n }, { handle: "five-off" }),
        "member_not_found",
        /not a loyalty member/,
      ],
    ];
    for (const [input, code, message] of cases) {
      const error = await expectUnchanged(member, () => redeemReward(api, input));
      expect({ code: error.code, message: error.message }).toEqual({
        code,
        message: expect.stringMatching(message),
      });
    }
  });

  it("refuses another member's request id instead of showing that member's reward", async () => {
    const alice = await memberWithPoints(1000);
    await catalog(alice.shopId, FIVE_OFF);
    const first = request(alice, { handle: "five-off" });
    await redeemReward(adminCallFor(alice.api), first);
    const bob = await memberWithPoints(1000, alice.store);

    const error = await loyaltyError(
      redeemReward(adminCallFor(bob.api), { ...first, customerId: bob.customerId }),
    );

    expect(error.code).toBe("invalid_input");
    expect((await memberOf(Number(bob.customerId)))?.pointsBalance).toBe(1000);
  });
});
