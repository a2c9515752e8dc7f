import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { profileProperties } from "~/domain/klaviyo/index";
import { profileFactsFor } from "~/services/klaviyo/profile-facts.server";
import { programInForce, saveProgram } from "~/services/program/versions.server";
import { redeemReward } from "~/services/rewards/redemption/redeem.server";
import { voidRedemption } from "~/services/rewards/redemption/void.server";
import { referralCodeFor } from "~/services/referrals/program.server";
import { sendStoreCredit } from "~/services/store-credit/send.server";
import { deliver, newStore } from "../../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";

// Catalog §4's rewards, referral and store credit properties, from the real tables.
async function propertiesOf(shopId: string, customerId: bigint) {
  const member = await prisma.member.findUniqueOrThrow({
    where: { shopId_customerId: { shopId, customerId } },
  });
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  const { config } = await programInForce(prisma, shopId);
  const facts = await profileFactsFor(
    [member],
    { shopId, timeZone: shop.timeZone, config, domain: shop.domain },
    new Date(),
  );
  return profileProperties(facts.get(member.id)!, {
    currency: shop.currency,
    timeZone: "UTC",
    locale: "en-US",
  });
}

describe("Klaviyo profile: rewards, referral and store credit", () => {
  it("a new member has their referral code and link, and no rewards or store credit yet", async () => {
    const member = await memberWithPoints(0);
    const properties = await propertiesOf(member.shopId, member.customerId);
    expect(properties.loyalty_referral_code).toMatch(/^REF-[A-Z2-9]{8}$/);
    expect(properties.loyalty_referral_url).toContain(`?ref=${properties.loyalty_referral_code}`);
    expect(properties).toMatchObject({
      loyalty_rewards_available: 0,
      loyalty_last_redeemed_date: null,
      store_credit_balance: null,
      store_credit_currency: null,
      store_credit_symbol: null,
      store_credit_formatted_balance: null,
    });
  });

  it("counts unused issued rewards, the last redemption date, the referral code and URL", async () => {
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
    await redeem("p:2");
    await redeem("p:3");
    await voidRedemption(api, member.shopId, first.redemptionId, "test");
    const code = await referralCodeFor(member.shopId, member.customerId);

    const properties = await propertiesOf(member.shopId, member.customerId);

    expect(properties.loyalty_rewards_available).toBe(2);
    expect(properties.loyalty_last_redeemed_date).toBe(new Date().toISOString().slice(0, 10));
    expect(properties.loyalty_referral_code).toBe(code);
    expect(properties.loyalty_referral_url).toBe(
      `https://test-shop.myshopify.com/?ref=${encodeURIComponent(code)}`,
    );
  });

  it("store credit is Shopify's balance after cashback, formatted in the shop currency", async () => {
    const store = newStore();
    const member = await memberWithPoints(0, store);
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
      store_credit_symbol: "$",
      store_credit_formatted_balance: "$12.34",
    });
  });
});
