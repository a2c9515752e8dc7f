import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { ReferralRefused } from "~/services/errors";
import { claimReferral } from "~/services/referrals/claim.server";
import { issuePendingGrants } from "~/services/rewards/grants/issue.server";
import { referralCodeFor, saveReferralProgram } from "~/services/referrals/program.server";
import { deliver, eventsOf, expectBalanceMatchesLedger, memberOf } from "../../support/deliveries";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";

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
  expect(error).toBeInstanceOf(ReferralRefused);
  expect((error as ReferralRefused).code).toBe("referral_rejected");
  // The rule for the storefront to word, then the shopper's own words.
  return `${(error as ReferralRefused).reason}: ${(error as ReferralRefused).message}`;
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
        reward_name: null,
        reward_code: null,
        friend_reward_name: "$5 off",
        friend_reward_code: claimed.reward!.code,
      }),
    ]);
    await expectBalanceMatchesLedger(Number(advocate.customerId));
  });

  it("with a reward for the advocate, referral.completed waits for it and carries both sides' rewards", async () => {
    const { advocate, friend, claim } = await program();
    await saveReferralProgram(advocate.shopId, {
      enabled: true,
      friendRewardHandle: FIVE_OFF.handle,
      advocateRewardHandle: FIVE_OFF.handle,
      advocatePoints: 100,
      minimumOrderMinor: 0,
    });
    const cat = await friend({ email: "cat-friend@example.com" });
    const claimed = await claim(cat.id);
    await deliver(
      "orders/paid",
      advocate.store.addPaidOrder(cat, [{ title: "Mat", price: "40.00", quantity: 1 }]),
    );
    const advocateId = Number(advocate.customerId);
    expect(await eventsOf(advocateId, "referral.completed")).toEqual([]);

    await issuePendingGrants(advocate.shopId, adminCallFor(advocate.api));

    const [issued] = await prisma.redemption.findMany({
      where: { memberId: (await memberOf(advocateId))!.id, source: "referral" },
    });
    expect((await eventsOf(advocateId, "referral.completed")).map((e) => e.payload)).toEqual([
      expect.objectContaining({
        friend_customer_id: String(cat.id),
        points_awarded: 100,
        reward_name: "$5 off",
        reward_code: issued!.code,
        reward_value_formatted: "$5.00 off",
        friend_reward_name: "$5 off",
        friend_reward_code: claimed.reward!.code,
      }),
    ]);
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

    expect(await rejection(claim(Number(advocate.customerId)))).toMatch(
      /^self_referral: This is your own referral link/,
    );
    expect(await rejection(claim(twin.id))).toMatch(/^same_email: .*shares an email/);
    expect(await rejection(claim(samePhone.id))).toMatch(/^same_phone: .*phone number/);
    expect(await rejection(claim(returning.id))).toMatch(/^not_new_customer: .*new customers/);
    await claim(first.id);
    expect(await rejection(claim(second.id))).toMatch(/^advocate_cap: Your friend has reached/);
    expect(await rejection(claim(second.id, "REF-NOPE2345"))).toMatch(
      /^unknown_code: This referral link is not valid/,
    );

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

describe("referrals: same address", () => {
  async function rejectionsOf(advocateCustomerId: bigint) {
    const advocate = await memberOf(Number(advocateCustomerId));
    return prisma.referralRejection.findMany({ where: { advocateMemberId: advocate!.id } });
  }
  const OAK = {
    address1: "12 Oak Street",
    address2: null,
    city: "London",
    zip: "SW1A 1AA",
    country_code: "GB",
  };

  it("refuses a friend at the advocate's address and accepts one next door, with the reason kept", async () => {
    const { advocate, friend, claim } = await program();
    await deliver("customers/update", { ...advocate.customer, default_address: OAK });
    const housemate = await friend({ email: "housemate@example.com" });
    await deliver("customers/update", {
      ...housemate,
      default_address: { ...OAK, address1: "12, oak st.", address2: "Flat 2", zip: "sw1a1aa" },
    });
    const neighbour = await friend({ email: "neighbour@example.com" });
    await deliver("customers/update", {
      ...neighbour,
      default_address: { ...OAK, address1: "14 Oak Street" },
    });

    expect(await rejection(claim(housemate.id))).toMatch(
      /^same_address: .*your address is the same/,
    );
    const accepted = await claim(neighbour.id);

    expect(accepted.reward?.code).toBeTruthy();
    const recorded = await rejectionsOf(advocate.customerId);
    expect(recorded.map((r) => [r.friendCustomerId, r.reason])).toEqual([
      [BigInt(housemate.id), "same_address"],
    ]);
    // Only the fingerprint is kept, never the address.
    const stored = await memberOf(housemate.id);
    expect(stored?.addressKey).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.values(stored!).filter((v) => typeof v === "string" && /oak/i.test(v))).toEqual(
      [],
    );
  });

  it("a friend whose first order ships to the advocate's address completes nothing, once", async () => {
    const { advocate, friend, claim } = await program();
    await deliver("customers/update", { ...advocate.customer, default_address: OAK });
    const bob = await friend({ email: "bob@example.com" });
    await claim(bob.id);
    const toAdvocate = advocate.store.addPaidOrder(
      bob,
      [{ title: "Rug", price: "30.00", quantity: 1 }],
      { shippingAddress: { ...OAK, address1: "12 OAK ST" } },
    );

    await deliver("orders/paid", toAdvocate);
    await deliver("orders/paid", toAdvocate);

    expect((await memberOf(Number(advocate.customerId)))?.pointsBalance).toBe(0);
    expect(await eventsOf(Number(advocate.customerId), "referral.completed")).toEqual([]);
    const referral = await prisma.referral.findFirstOrThrow({
      where: { friendCustomerId: BigInt(bob.id) },
    });
    expect(referral.state).toBe("rejected");
    const recorded = await rejectionsOf(advocate.customerId);
    expect(recorded.map((r) => r.reason)).toEqual(["same_address"]);
    expect(recorded[0]?.detail).toMatch(/order ships to the advocate's address/);
  });

  it("a friend whose first order ships elsewhere completes the referral", async () => {
    const { advocate, friend, claim } = await program();
    await deliver("customers/update", { ...advocate.customer, default_address: OAK });
    const bob = await friend({ email: "bob@example.com" });
    await claim(bob.id);

    await deliver(
      "orders/paid",
      advocate.store.addPaidOrder(bob, [{ title: "Rug", price: "30.00", quantity: 1 }], {
        shippingAddress: { ...OAK, address1: "3 Elm Road", zip: "E1 6AN" },
      }),
    );

    expect((await memberOf(Number(advocate.customerId)))?.pointsBalance).toBe(250);
    expect(await rejectionsOf(advocate.customerId)).toEqual([]);
  });
});
