import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { LoyaltyError } from "~/services/errors";
import { claimReferral, referralCodeFor, saveReferralProgram } from "~/services/referrals.server";
import { deliver, eventsOf, expectBalanceMatchesLedger, memberOf } from "../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../support/rewards";

async function program(advocateCap: { count: number; periodDays: number } | null = null) {
  const advocate = await memberWithPoints(0);
  await catalog(advocate.shopId, FIVE_OFF);
  await saveReferralProgram(advocate.shopId, {
    enabled: true,
    friendRewardHandle: FIVE_OFF.handle,
    advocatePoints: 250,
    minimumOrderMinor: 2000,
    advocateCap,
  });
  const code = await referralCodeFor(advocate.shopId, advocate.customerId);
  const api = adminCallFor(advocate.api);
  async function friend(fields: { email: string; phone?: string }) {
    const customer = advocate.store.addCustomer({ phone: null, ...fields });
    await deliver("customers/create", customer);
    return customer;
  }
  const claim = (customerId: number, claimed = code) =>
    claimReferral(api, {
      shopId: advocate.shopId,
      friendCustomerId: BigInt(customerId),
      code: claimed,
    });
  return { advocate, code, friend, claim };
}

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LoyaltyError);
  expect((error as LoyaltyError).code).toBe("referral_rejected");
  return (error as LoyaltyError).message;
}

describe("referrals", () => {
  it("a new friend claims (gets a reward), the first qualifying order pays the advocate once", async () => {
    const { advocate, code, friend, claim } = await program();
    const bob = await friend({ email: "bob@example.com" });

    const claimed = await claim(bob.id, code.toLowerCase());
    const again = await claim(bob.id);

    expect(code).toMatch(/^REF-[A-Z2-9]{8}$/);
    expect(await referralCodeFor(advocate.shopId, advocate.customerId)).toBe(code);
    expect(again.reward?.code).toBe(claimed.reward?.code);
    expect(advocate.store.adminApi.discountByCode(claimed.reward!.code!)?.customers).toEqual([
      bob.id,
    ]);
    expect((await eventsOf(bob.id, "referral.accepted")).map((e) => e.payload)).toEqual([
      expect.objectContaining({
        advocate_customer_id: String(advocate.customerId),
        referral_code: code,
        reward_name: "$5 off",
      }),
    ]);

    const small = advocate.store.addPaidOrder(bob, [{ title: "Pin", price: "15.00", quantity: 1 }]);
    await deliver("orders/paid", small);
    expect((await memberOf(Number(advocate.customerId)))?.pointsBalance).toBe(0);
    const qualifying = advocate.store.addPaidOrder(bob, [
      { title: "Rug", price: "30.00", quantity: 1 },
    ]);
    await deliver("orders/paid", qualifying);
    await deliver("orders/paid", qualifying);

    expect((await memberOf(Number(advocate.customerId)))?.pointsBalance).toBe(250);
    expect(
      (await eventsOf(Number(advocate.customerId), "referral.completed")).map((e) => e.payload),
    ).toEqual([
      expect.objectContaining({
        friend_customer_id: String(bob.id),
        order_id: String(qualifying.id),
        points_awarded: 250,
      }),
    ]);
    await expectBalanceMatchesLedger(Number(advocate.customerId));
  });

  it("refuses self referral, same email, same phone, returning customers and advocates over their cap — and records why", async () => {
    const { advocate, friend, claim } = await program({ count: 1, periodDays: 30 });
    const advocateRow = await memberOf(Number(advocate.customerId));
    await prisma.member.update({
      where: { id: advocateRow!.id },
      data: { phone: "+1 555 000 1111" },
    });
    const twin = await friend({ email: advocateRow!.email!.toUpperCase() });
    const samePhone = await friend({ email: "phone@example.com", phone: "15550001111" });
    const returning = await friend({ email: "returning@example.com" });
    await deliver(
      "orders/paid",
      advocate.store.addPaidOrder(returning, [{ title: "Mug", price: "9.00", quantity: 1 }]),
    );
    const first = await friend({ email: "first@example.com" });
    const second = await friend({ email: "second@example.com" });

    expect(await rejection(claim(Number(advocate.customerId)))).toMatch(/cannot refer themselves/);
    expect(await rejection(claim(twin.id))).toMatch(/email/);
    expect(await rejection(claim(samePhone.id))).toMatch(/phone/);
    expect(await rejection(claim(returning.id))).toMatch(/new customers/);
    await claim(first.id);
    expect(await rejection(claim(second.id))).toMatch(/reached 1 referrals/);
    expect(await rejection(claim(second.id, "REF-NOPE2345"))).toMatch(/no referral code/);

    const recorded = await prisma.referralRejection.findMany({ orderBy: { createdAt: "asc" } });
    expect(recorded.map((r) => r.reason)).toEqual([
      "self_referral",
      "same_email",
      "same_phone",
      "not_new_customer",
      "advocate_cap",
      "unknown_code",
    ]);
    expect(await prisma.referral.count({ where: { advocateMemberId: advocateRow!.id } })).toBe(1);
    expect(advocate.store.adminApi.discountCodes.size).toBe(1);
  });
});
