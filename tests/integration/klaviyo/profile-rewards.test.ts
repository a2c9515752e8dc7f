import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { connectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { saveProgram } from "~/services/program/versions.server";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";
import { voidRedemption } from "~/services/rewards/redemption/void.server";
import { referralCodeFor } from "~/services/referrals/program.server";
import { sendStoreCredit } from "~/services/store-credit/send.server";
import { deliver, newStore } from "../../support/deliveries";
import { KLAVIYO_KEY, klaviyoStandIn } from "../../support/klaviyo";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";

const klaviyo = klaviyoStandIn();

/**
 * Catalog §4's rewards, referral and store credit properties as Klaviyo holds them after the
 * app's own drain: the real sync path, so a change that does not make the profile stale (and so
 * is never sent) fails here. A property the app cleared (null) is absent from the profile.
 */
async function propertiesOf(shopId: string, customerId: bigint) {
  const connection = await prisma.klaviyoConnection.findUnique({ where: { shopId } });
  if (!connection) await connectKlaviyo(shopId, KLAVIYO_KEY);
  await drainKlaviyo(shopId);
  const member = await prisma.member.findUniqueOrThrow({
    where: { shopId_customerId: { shopId, customerId } },
  });
  const profile = klaviyo().state.findProfile({ email: member.email! });
  if (!profile) throw new Error(`no Klaviyo profile for ${member.email}`);
  return profile.properties;
}

describe("Klaviyo profile: rewards, referral and store credit", () => {
  it("a new member has their referral code and link, and no rewards or store credit yet", async () => {
    const member = await memberWithPoints(0);
    const properties = await propertiesOf(member.shopId, member.customerId);
    expect(properties.loyalty_referral_code).toMatch(/^REF-[A-Z2-9]{8}$/);
    expect(properties.loyalty_referral_url).toContain(`?ref=${properties.loyalty_referral_code}`);
    expect(properties).toMatchObject({
      loyalty_rewards_available: 0,
      loyalty_reward_codes: [],
      loyalty_rewards_ready: [],
    });
    for (const cleared of [
      "loyalty_last_redeemed_date",
      "store_credit_balance",
      "store_credit_currency",
      "store_credit_symbol",
      "store_credit_formatted_balance",
    ]) {
      expect(properties).not.toHaveProperty(cleared);
    }
  });

  it("lists the codes ready to use, re-sent as each is redeemed, voided or used", async () => {
    const member = await memberWithPoints(2000);
    await catalog(member.shopId, FIVE_OFF);
    const api = adminCallFor(member.api);
    const redeem = (key: string) =>
      redeemReward(api, {
        shopId: member.shopId,
        customerId: member.customerId,
        reward: { handle: "five-off" },
        requestKey: key,
        source: "points_redemption",
      });
    const first = await redeem("p:1");
    const second = await redeem("p:2");
    const code = await referralCodeFor(member.shopId, member.customerId);
    const expiresOn = (await prisma.redemption.findUniqueOrThrow({
      where: { id: first.redemptionId },
    }))!
      .expiresAt!.toISOString()
      .slice(0, 10);

    const issued = await propertiesOf(member.shopId, member.customerId);
    expect(issued).toMatchObject({
      loyalty_rewards_available: 2,
      loyalty_reward_codes: [first.code, second.code],
      loyalty_rewards_ready: [
        { code: first.code, name: "$5 off", value: "$5.00 off", expires_on: expiresOn },
        { code: second.code, name: "$5 off", value: "$5.00 off", expires_on: expiresOn },
      ],
      loyalty_last_redeemed_date: new Date().toISOString().slice(0, 10),
      loyalty_referral_code: code,
      loyalty_referral_url: `https://test-shop.myshopify.com/?ref=${encodeURIComponent(code)}`,
    });

    // Voided by staff: the profile is sent again without it.
    await voidRedemption(api, member.shopId, first.redemptionId, "test");
    const voided = await propertiesOf(member.shopId, member.customerId);
    expect(voided.loyalty_reward_codes).toEqual([second.code]);
    expect(voided.loyalty_rewards_available).toBe(1);

    // Used at checkout: gone from the list too.
    const order = member.store.addPaidOrder(
      member.customer,
      [{ title: "Mug", price: "20.00", quantity: 1 }],
      { discountCodes: [{ code: second.code!, amount: "5.00", type: "fixed_amount" }] },
    );
    await deliver("orders/paid", order);
    const used = await propertiesOf(member.shopId, member.customerId);
    expect(used).toMatchObject({
      loyalty_rewards_available: 0,
      loyalty_reward_codes: [],
      loyalty_rewards_ready: [],
    });
  });

  it.each([
    { country: null, symbol: "$", formatted: "$12.34" },
    // A French shop reads dollars as "12,34 $US" in its emails, events and profiles alike.
    { country: "FR", symbol: "$US", formatted: "12,34\u00a0$US" },
  ])(
    "store credit is Shopify's balance after cashback, formatted as the shop's country ($country) writes money",
    async ({ country, symbol, formatted }) => {
      const store = newStore();
      const member = await memberWithPoints(0, store);
      await prisma.shop.update({ where: { id: member.shopId }, data: { countryCode: country } });
      await prisma.$transaction((tx) =>
        saveProgram(
          tx,
          member.shopId,
          { storeCredit: { enabled: true, cashbackBasisPoints: 1000 } },
          null,
        ),
      );
      await deliver(
        "orders/paid",
        store.addPaidOrder(member.customer, [{ title: "Desk", price: "123.40", quantity: 1 }]),
      );
      await sendStoreCredit(member.shopId, adminCallFor(member.api));

      expect(await propertiesOf(member.shopId, member.customerId)).toMatchObject({
        store_credit_balance: 12.34,
        store_credit_currency: "USD",
        store_credit_symbol: symbol,
        store_credit_formatted_balance: formatted,
      });
      const credited = await prisma.loyaltyEvent.findFirstOrThrow({
        where: {
          shopId: member.shopId,
          type: "store_credit.credited",
          customerId: member.customerId,
        },
      });
      expect(credited.payload).toMatchObject({
        amount_formatted: formatted,
        balance_formatted: formatted,
        symbol,
      });
    },
  );
});
