/**
 * A friend's referral journey through the real App Proxy routes and webhooks: the welcome a link
 * opens (signed out and in), a claim and its refusals in the shopper's words, a friend who orders
 * without claiming (the code rides on the cart), and "My rewards" in the member answer.
 */
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader as memberLoader } from "~/routes/proxy.member";
import { action as redeem } from "~/routes/proxy.redeem";
import { action as referralAction, loader as referralLoader } from "~/routes/proxy.referral";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { saveProgram } from "~/services/program/versions.server";
import { referralCodeFor, saveReferralProgram } from "~/services/referrals/program.server";
import { issuePendingGrants } from "~/services/rewards/grants/issue.server";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { deliver, eventsOf, memberOf } from "../../support/deliveries";
import { callProxy, proxyPost, proxyRequest } from "../../support/proxy";
import {
  adminCallFor,
  catalog,
  FIVE_OFF,
  memberWithPoints,
  routeAdminApiToStandIn,
} from "../../support/rewards";

let shopifyStore: SandboxStore | null = null;
beforeAll(() => routeAdminApiToStandIn(() => shopifyStore, "shpat_journey"));

interface Welcome {
  code: string;
  advocateFirstName: string | null;
  friendReward: { name: string; valueMinor: number | null; valueFormatted: string } | null;
  own: boolean;
  claimed: boolean;
}
interface Refusal {
  error: { code: string; reason?: string; message: string };
}

async function shopWithReferrals() {
  const advocate = await memberWithPoints(1000);
  shopifyStore = advocate.store;
  advocate.customer.first_name = "Ada";
  await prisma.member.updateMany({
    where: { customerId: advocate.customerId },
    data: { firstName: "Ada", lastName: "Lovelace" },
  });
  await catalog(advocate.shopId, FIVE_OFF);
  await saveReferralProgram(advocate.shopId, {
    enabled: true,
    friendRewardHandle: FIVE_OFF.handle,
    advocatePoints: 250,
  });
  const code = await referralCodeFor(advocate.shopId, advocate.customerId);
  async function friend(email: string) {
    const customer = advocate.store.addCustomer({ email, first_name: "Friend" });
    await deliver("customers/create", customer);
    return customer;
  }
  const welcome = (customerId: number | bigint | null, asked = code) =>
    callProxy<Welcome & Refusal>(
      referralLoader,
      proxyRequest("referral", customerId, { query: { code: asked } }),
    );
  const claim = (customerId: number | bigint, claimed = code) =>
    callProxy<{ reward: { code: string; rewardName: string } | null } & Refusal>(
      referralAction,
      proxyPost("referral", customerId, { code: claimed }),
    );
  return { advocate, code, friend, welcome, claim };
}

describe("a friend following a referral link", () => {
  it("is welcomed by the advocate's first name and reward, signed out or in, and an own link says so", async () => {
    const { advocate, code, friend, welcome } = await shopWithReferrals();

    const signedOut = await welcome(null, code.toLowerCase());
    const signedIn = await welcome((await friend("bea@example.com")).id);
    const own = await welcome(advocate.customerId);

    expect(signedOut.status).toBe(200);
    expect(signedOut.headers.get("cache-control")).toBe("private, no-store");
    expect(signedOut.body).toEqual({
      code,
      advocateFirstName: "Ada",
      friendReward: expect.objectContaining({ name: "$5 off", valueMinor: 500 }),
      currency: "USD",
      own: false,
      claimed: false,
    });
    // Only the first name: a link tells a stranger nothing more about the advocate.
    expect(JSON.stringify(signedOut.body)).not.toMatch(/Lovelace|@/);
    expect(signedIn.body).toMatchObject({ own: false, claimed: false });
    expect(own.body).toMatchObject({ own: true });
  });

  it("answers an unknown, tampered or closed link in plain words, and records nothing", async () => {
    const { advocate, welcome } = await shopWithReferrals();

    const unknown = await welcome(null, "REF-NOPE2345");
    const tampered = await welcome(null, "<script>alert(1)</script>");

    for (const answer of [unknown, tampered]) {
      expect(answer.status).toBe(422);
      expect(answer.body.error).toEqual({
        code: "referral_rejected",
        reason: "unknown_code",
        message: "This referral link is not valid: check it with the friend who sent it",
      });
    }
    await saveReferralProgram(advocate.shopId, { enabled: false });
    expect((await welcome(null)).body.error.reason).toBe("program_off");
    expect(await prisma.referral.count({ where: { shopId: advocate.shopId } })).toBe(0);
  });

  it("claims once with a code to use at once; a second friend's address, own code or second claim are refused", async () => {
    const { advocate, code, friend, claim, welcome } = await shopWithReferrals();
    const bea = await friend("bea@example.com");

    const first = await claim(bea.id);
    const again = await claim(bea.id);
    const own = await claim(advocate.customerId);

    expect(first.status).toBe(200);
    expect(first.body.reward?.rewardName).toBe("$5 off");
    expect(again.body.reward?.code).toBe(first.body.reward?.code);
    expect((await welcome(bea.id)).body).toMatchObject({ claimed: true });
    expect(own.status).toBe(422);
    expect(own.body.error).toMatchObject({ reason: "self_referral" });
    expect(own.body.error.message).toMatch(/your own referral link/);
    expect(await prisma.referral.count({ where: { friendCustomerId: BigInt(bea.id) } })).toBe(1);
    expect((await eventsOf(bea.id, "referral.accepted")).length).toBe(1);
    // A friend referred once cannot switch to another advocate's code, even their own.
    const other = await referralCodeFor(advocate.shopId, BigInt(bea.id));
    const switched = await claim(bea.id, other);
    expect(switched.body.error).toMatchObject({ reason: "already_referred" });
    expect(code).not.toBe(other);
  });

  it("a friend who orders without claiming is referred by the code on the cart: advocate paid, friend's reward follows", async () => {
    const { advocate, code, friend } = await shopWithReferrals();
    const cy = await friend("cy@example.com");
    const order = advocate.store.addPaidOrder(cy, [{ title: "Rug", price: "40.00", quantity: 1 }], {
      noteAttributes: [{ name: "_loyalty_referral", value: code.toLowerCase() }],
    });

    await deliver("orders/paid", order);
    await deliver("orders/paid", order);

    const referral = await prisma.referral.findFirstOrThrow({
      where: { friendCustomerId: BigInt(cy.id) },
    });
    expect(referral).toMatchObject({ state: "completed", orderId: BigInt(order.id), code });
    expect((await memberOf(Number(advocate.customerId)))?.pointsBalance).toBe(1000 + 250);
    expect(
      (await eventsOf(Number(advocate.customerId), "referral.completed")).map((e) => e.payload),
    ).toEqual([
      expect.objectContaining({ friend_customer_id: String(cy.id), points_awarded: 250 }),
    ]);
    // The friend's reward is issued by the grant job; referral.accepted waits for its code.
    expect(await eventsOf(cy.id, "referral.accepted")).toEqual([]);
    await issuePendingGrants(advocate.shopId, adminCallFor(advocate.api));
    const [accepted] = await eventsOf(cy.id, "referral.accepted");
    expect(accepted?.payload).toMatchObject({
      referral_code: code,
      advocate_name: "Ada Lovelace",
      reward_name: "$5 off",
      reward_code: expect.stringMatching(/^[A-Z0-9-]{6,}$/),
    });
  });

  it("a cart code the rules refuse (the friend ordered before) refers nobody and is recorded for the merchant", async () => {
    const { advocate, code, friend } = await shopWithReferrals();
    const dee = await friend("dee@example.com");
    await deliver(
      "orders/paid",
      advocate.store.addPaidOrder(dee, [{ title: "Mug", price: "9.00", quantity: 1 }]),
    );
    const later = advocate.store.addPaidOrder(
      dee,
      [{ title: "Rug", price: "40.00", quantity: 1 }],
      {
        noteAttributes: [{ name: "_loyalty_referral", value: code }],
      },
    );

    await deliver("orders/paid", later);

    const dees = { where: { friendCustomerId: BigInt(dee.id) } };
    expect(await prisma.referral.count(dees)).toBe(0);
    expect(await prisma.referralRejection.findMany(dees)).toEqual([
      expect.objectContaining({ reason: "not_new_customer", code }),
    ]);
    expect((await memberOf(Number(advocate.customerId)))?.pointsBalance).toBe(1000);
  });
});

describe("My rewards", () => {
  it("lists the codes a member owns, ready ones first, and marks one used once an order used it", async () => {
    const { advocate } = await shopWithReferrals();
    const spend = async (requestId: string) => {
      const answer = await callProxy<{ code: string }>(
        redeem,
        proxyPost("redeem", advocate.customerId, { reward: "five-off", request_id: requestId }),
      );
      expect(answer.body, JSON.stringify(answer.body)).toHaveProperty("code");
      return answer.body.code;
    };
    const used = await spend("journey-1");
    const ready = await spend("journey-2");
    await deliver(
      "orders/paid",
      advocate.store.addPaidOrder(
        advocate.customer,
        [{ title: "Rug", price: "40.00", quantity: 1 }],
        {
          discountCodes: [{ code: used, amount: "5.00", type: "fixed_amount" }],
        },
      ),
    );

    const answer = await callProxy<{ member: { codes: { code: string; status: string }[] } }>(
      memberLoader,
      proxyRequest("member", advocate.customerId),
    );

    expect(answer.headers.get("cache-control")).toBe("private, no-store");
    expect(answer.body.member.codes).toEqual([
      expect.objectContaining({ code: ready, status: "ready", name: "$5 off", valueMinor: 500 }),
      expect.objectContaining({ code: used, status: "used", source: "points_redemption" }),
    ]);
  });
});

describe("My rewards, whatever gave the code", () => {
  it("lists a birthday reward next to a redeemed code", async () => {
    const { advocate } = await shopWithReferrals();
    await prisma.$transaction((tx) =>
      saveProgram(tx, advocate.shopId, { bonuses: { birthdayRewardHandle: "five-off" } }, "test"),
    );
    await prisma.member.updateMany({
      where: { customerId: advocate.customerId },
      data: { birthMonth: 3, birthDay: 14 },
    });
    await runDailyMaintenance(advocate.shopId, new Date("2027-03-01T12:00:00Z"));
    await issuePendingGrants(advocate.shopId, adminCallFor(advocate.api));
    const redeemed = await callProxy<{ code: string }>(
      redeem,
      proxyPost("redeem", advocate.customerId, { reward: "five-off", request_id: "mine-b-1" }),
    );

    const answer = await callProxy<{ member: { codes: { code: string; source: string }[] } }>(
      memberLoader,
      proxyRequest("member", advocate.customerId),
    );

    expect(answer.body.member.codes.map((c) => c.source).sort()).toEqual([
      "birthday",
      "points_redemption",
    ]);
    expect(answer.body.member.codes.map((c) => c.code)).toContain(redeemed.body.code);
  });
});

describe("a signed-out friend claiming with their email", () => {
  const claimByEmail = (code: string, email: string) =>
    callProxy<{ reward: { code: string; rewardName: string } | null } & Refusal>(
      referralAction,
      proxyPost("referral", null, { code, email }),
    );

  it("becomes the shop's customer (no account, tagged), gets a code bound to them, and a retry gets the same", async () => {
    const { advocate, code } = await shopWithReferrals();

    const first = await claimByEmail(code, "Zoe.New@example.com");
    const again = await claimByEmail(code.toLowerCase(), "zoe.new@example.com");

    expect(first.status).toBe(200);
    expect(again.body.reward?.code).toBe(first.body.reward?.code);
    const customers = [...advocate.store.customers.values()].filter(
      (c) => c.email?.toLowerCase() === "zoe.new@example.com",
    );
    expect(customers).toEqual([
      expect.objectContaining({ state: "disabled", tags: "loyalty-referred-friend" }),
    ]);
    const zoe = customers[0]!;
    expect(advocate.store.adminApi.discountByCode(first.body.reward!.code)?.customers).toEqual([
      zoe.id,
    ]);
    expect((await eventsOf(zoe.id, "member.activated")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ source: "storefront", account_registered: false }),
    ]);
    expect(await prisma.referral.count({ where: { friendCustomerId: BigInt(zoe.id) } })).toBe(1);
  });

  it("is refused in the shopper's words for the advocate's own email, a returning customer, a bad code or address", async () => {
    const { advocate, code, friend } = await shopWithReferrals();
    const returning = await friend("back@example.com");
    await deliver(
      "orders/paid",
      advocate.store.addPaidOrder(returning, [{ title: "Mug", price: "9.00", quantity: 1 }]),
    );
    const before = advocate.store.customers.size;

    const own = await claimByEmail(code, advocate.customer.email!);
    const back = await claimByEmail(code, "back@example.com");
    const unknown = await claimByEmail("REF-NOPE2345", "new.person@example.com");
    const invalid = await claimByEmail(code, "not-an-email");

    expect(own.body.error).toMatchObject({ reason: "self_referral" });
    expect(back.body.error).toMatchObject({ reason: "not_new_customer" });
    expect(back.body.error.message).toMatch(/new customers/);
    expect(unknown.body.error).toMatchObject({ reason: "unknown_code" });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.message).toMatch(/Enter a valid email address/);
    // Nothing was created at Shopify for any of them.
    expect(advocate.store.customers.size).toBe(before);
  });
});

describe("a bonus that reaches a tier in lifetime points", () => {
  it("upgrades the advocate when the referral pays them, not at the next review", async () => {
    const { advocate, code, friend } = await shopWithReferrals();
    await prisma.$transaction((tx) =>
      saveProgram(
        tx,
        advocate.shopId,
        {
          earning: { pointsPerUnit: 1, rounding: "down" },
          tiers: [
            { id: "silver", name: "Silver", threshold: { kind: "lifetime_points", points: 150 } },
            { id: "gold", name: "Gold", threshold: { kind: "lifetime_points", points: 300 } },
          ],
        },
        "test",
      ),
    );
    // 200 lifetime points from an order: Silver.
    await deliver(
      "orders/paid",
      advocate.store.addPaidOrder(advocate.customer, [
        { title: "Tent", price: "200.00", quantity: 1 },
      ]),
    );
    expect((await memberOf(Number(advocate.customerId)))?.tierId).toBe("silver");
    const eva = await friend("eva@example.com");

    // Eva's first order pays Grace 250 referral points: 450 lifetime, past Gold's 300.
    await deliver(
      "orders/paid",
      advocate.store.addPaidOrder(eva, [{ title: "Rug", price: "40.00", quantity: 1 }], {
        noteAttributes: [{ name: "_loyalty_referral", value: code }],
      }),
    );

    expect((await memberOf(Number(advocate.customerId)))?.tierId).toBe("gold");
    const upgrades = (await eventsOf(Number(advocate.customerId), "tier.updated")).map(
      (e) => e.payload,
    );
    expect(upgrades.at(-1)).toMatchObject({
      change: "spending_upgrade",
      previous_tier: "Silver",
      current_tier: "Gold",
    });
  });
});
