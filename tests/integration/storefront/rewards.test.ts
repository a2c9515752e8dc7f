import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as redeem } from "~/routes/proxy.redeem";
import { action as claim, loader as referral } from "~/routes/proxy.referral";
import { INVITES_PER_DAY, inviteFriend } from "~/services/referrals/invites.server";
import { saveReferralProgram } from "~/services/referrals/program.server";
import { loader as memberLoader } from "~/routes/proxy.member";
import { loader as rewards } from "~/routes/proxy.rewards";
import { signAppProxyQuery } from "../../../sandbox/shopify/signing";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { deliver, memberOf } from "../../support/deliveries";
import { catalog, FIVE_OFF, memberWithPoints, routeAdminApiToStandIn } from "../../support/rewards";
import { API_SECRET, APP_URL, TEST_SHOP } from "../../support/webhooks";

const TOKEN = "shpat_proxy_test";
let shopifyStore: SandboxStore | null = null;

beforeAll(() => routeAdminApiToStandIn(() => shopifyStore, TOKEN));

function signed(path: string, customerId: string, init?: RequestInit) {
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
  return new Request(`${APP_URL}/proxy/${path}?${query}`, init);
}

const post = (customerId: string, body: Record<string, unknown>) =>
  signed("redeem", customerId, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function answer(run: () => Promise<Response>) {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const callRedeem = (request: Request) => answer(() => redeem({ request, params: {}, context: {} }));
const callRewards = (request: Request) =>
  answer(() => rewards({ request, params: {}, context: {} }));

async function setUp(points: number) {
  const member = await memberWithPoints(points);
  shopifyStore = member.store;
  await catalog(member.shopId, FIVE_OFF, {
    ...FIVE_OFF,
    handle: "big",
    name: "$50 off",
    pointsCost: 5000,
    amountMinor: 5000,
  });
  return member;
}

describe("storefront rewards through the App Proxy", () => {
  it("lists the rewards the signed-in member can afford and why not the others", async () => {
    const member = await setUp(800);

    const response = await callRewards(signed("rewards", String(member.customerId)));

    expect(response.status).toBe(200);
    const body = (await response.json()) as { member: unknown; rewards: unknown[] };
    expect(body.member).toEqual({ pointsBalance: 800, tierId: null });
    expect(body.rewards).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          handle: "five-off",
          available: true,
          why: null,
          valueFormatted: "$5.00 off",
        }),
        // Why not, as a word the widget translates and the points still missing.
        expect.objectContaining({
          handle: "big",
          available: false,
          why: "more_points",
          short: 4200,
        }),
      ]),
    );
  });

  it("redeems for the signed-in customer once per request id, with a code Shopify knows", async () => {
    const member = await setUp(1200);
    const body = { reward: "five-off", request_id: "click-0001" };

    const first = await callRedeem(post(String(member.customerId), body));
    const resent = await callRedeem(post(String(member.customerId), body));

    expect(first.status).toBe(200);
    const issued = (await first.json()) as { code: string; pointsSpent: number };
    expect(issued.pointsSpent).toBe(500);
    expect(member.store.adminApi.discountByCode(issued.code)?.customers).toEqual([
      Number(member.customerId),
    ]);
    expect(((await resent.json()) as { code: string }).code).toBe(issued.code);
    expect((await memberOf(Number(member.customerId)))?.pointsBalance).toBe(700);
  });

  it("answers bad requests with a clear 4xx and changes nothing", async () => {
    const member = await setUp(600);
    const customer = String(member.customerId);
    const cases: [Request, number, string][] = [
      [post(customer, { reward: "nope", request_id: "click-1001" }), 404, "reward_not_found"],
      [post(customer, { reward: "big", request_id: "click-1002" }), 422, "insufficient_points"],
      [post(customer, { reward: "five-off", request_id: "x" }), 422, "invalid_input"],
      [
        post(customer, { reward: "five-off", request_id: "click-1003", points: -5 }),
        422,
        "invalid_input",
      ],
      [
        post(customer, { reward: "five-off", request_id: "click-1004", customer_id: "123" }),
        422,
        "invalid_input",
      ],
      [post("", { reward: "five-off", request_id: "click-1005" }), 401, "sign_in"],
    ];
    for (const [request, status, code] of cases) {
      const response = await callRedeem(request);
      expect(response.status, code).toBe(status);
      expect(
        ((await response.json()) as { error: { code: string; message: string } }).error,
      ).toEqual({
        code,
        message: expect.any(String),
      });
    }
    expect((await memberOf(Number(member.customerId)))?.pointsBalance).toBe(600);
    expect(member.store.adminApi.discountCodes.size).toBe(0);
    expect(
      await prisma.redemption.count({ where: { member: { customerId: member.customerId } } }),
    ).toBe(0);
  });

  it("refuses a request whose customer id was changed after signing", async () => {
    const member = await setUp(600);
    const request = post(String(member.customerId), {
      reward: "five-off",
      request_id: "click-2001",
    });
    const url = new URL(request.url);
    url.searchParams.set("logged_in_customer_id", "1");

    const response = await callRedeem(
      new Request(url, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      }),
    );

    expect(response.status).toBe(400);
    expect((await memberOf(Number(member.customerId)))?.pointsBalance).toBe(600);
  });

  it("shares the member's referral code and lets a signed-in friend claim it", async () => {
    const member = await setUp(0);
    await saveReferralProgram(member.shopId, { enabled: true, friendRewardHandle: "five-off" });
    const friend = member.store.addCustomer({ email: "proxy-friend@example.com" });
    await deliver("customers/create", friend);

    const shared = await answer(() =>
      referral({ request: signed("referral", String(member.customerId)), params: {}, context: {} }),
    );
    const { code, url } = (await shared.json()) as { code: string; url: string };
    const claimRequest = (customerId: string) =>
      signed("referral", customerId, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code }),
      });
    const own = await answer(() =>
      claim({ request: claimRequest(String(member.customerId)), params: {}, context: {} }),
    );
    const claimed = await answer(() =>
      claim({ request: claimRequest(String(friend.id)), params: {}, context: {} }),
    );

    expect(url).toBe(`https://${TEST_SHOP}/?ref=${code}`);
    expect(own.status).toBe(422);
    expect(((await own.json()) as { error: { code: string } }).error.code).toBe(
      "referral_rejected",
    );
    expect(claimed.status).toBe(200);
    const body = (await claimed.json()) as { reward: { code: string } };
    expect(member.store.adminApi.discountByCode(body.reward.code)?.customers).toEqual([friend.id]);
  });

  it("invites a friend by email: referral.sent with the code and link, once per friend and day", async () => {
    const member = await setUp(0);
    await saveReferralProgram(member.shopId, { enabled: true });
    const invite = (friendEmail: unknown, customerId = String(member.customerId)) =>
      answer(() =>
        claim({
          request: signed("referral", customerId, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ friendEmail }),
          }),
          params: {},
          context: {},
        }),
      );
    const sentEvents = () =>
      prisma.loyaltyEvent.findMany({
        where: { customerId: member.customerId, type: "referral.sent" },
        orderBy: { occurredAt: "asc" },
      });

    const first = await invite("Friend@Example.com");
    const again = await invite(" friend@example.com");
    const other = await invite("other@example.com");

    const { code, url } = (await first.json()) as { code: string; url: string; sent: boolean };
    expect(first.status).toBe(200);
    expect(((await again.json()) as { sent: boolean }).sent).toBe(false);
    expect(((await other.json()) as { sent: boolean }).sent).toBe(true);
    const rows = await prisma.referralInvite.findMany({
      where: { shopId: member.shopId },
      orderBy: { createdAt: "asc" },
    });
    const invitation = (id: string) => ({
      referral_code: code,
      referral_url: url,
      invitation_id: id,
      advocate_first_name: null,
      friend_reward_name: null,
      friend_reward_value_formatted: null,
    });
    expect((await sentEvents()).map((e) => e.payload)).toEqual(rows.map((r) => invitation(r.id)));
    expect(url).toBe(`https://${TEST_SHOP}/?ref=${code}`);
    // The address waits for delivery to the email platform (not connected here); the fingerprint
    // keeps "once per friend and day".
    expect(rows.map((r) => [r.friendEmail, r.friendEmailKey])).toEqual([
      ["Friend@Example.com", expect.stringMatching(/^[0-9a-f]{64}$/)],
      ["other@example.com", expect.stringMatching(/^[0-9a-f]{64}$/)],
    ]);
    expect(rows.map((r) => r.eventId)).toEqual((await sentEvents()).map((e) => e.id));

    // Bad input, yourself, or no signed-in customer: a 4xx and nothing sent.
    const bad = await invite("not an email");
    const self = await invite((await memberOf(Number(member.customerId)))!.email);
    const anonymous = await invite("third@example.com", "");
    expect([bad.status, self.status, anonymous.status]).toEqual([422, 422, 401]);
    expect(await sentEvents()).toHaveLength(2);
  });

  it("sends one referral.sent for five simultaneous identical invitations", async () => {
    const member = await setUp(0);
    await saveReferralProgram(member.shopId, { enabled: true });
    const invite = () =>
      inviteFriend({
        shopId: member.shopId,
        customerId: member.customerId,
        shopDomain: TEST_SHOP,
        friendEmail: "same@example.com",
      });

    const results = await Promise.all([invite(), invite(), invite(), invite(), invite()]);

    expect(results.filter((r) => r.sent)).toHaveLength(1);
    const events = await prisma.loyaltyEvent.count({
      where: { customerId: member.customerId, type: "referral.sent" },
    });
    expect(events).toBe(1);
  });

  it("caps invitations per member and day", async () => {
    const member = await setUp(0);
    await saveReferralProgram(member.shopId, { enabled: true });
    const now = new Date("2026-11-23T10:00:00Z");
    for (let i = 0; i < INVITES_PER_DAY; i++) {
      await inviteFriend(
        {
          shopId: member.shopId,
          customerId: member.customerId,
          shopDomain: TEST_SHOP,
          friendEmail: `f${i}@example.com`,
        },
        now,
      );
    }
    await expect(
      inviteFriend(
        {
          shopId: member.shopId,
          customerId: member.customerId,
          shopDomain: TEST_SHOP,
          friendEmail: "one-more@example.com",
        },
        now,
      ),
    ).rejects.toThrow(/up to 20 friends a day/);
    const tomorrow = await inviteFriend(
      {
        shopId: member.shopId,
        customerId: member.customerId,
        shopDomain: TEST_SHOP,
        friendEmail: "one-more@example.com",
      },
      new Date("2026-11-24T10:00:00Z"),
    );
    expect(tomorrow.sent).toBe(true);
  });

  it("a signed-in customer from before the install is read from Shopify and joins once", async () => {
    const member = await setUp(0);
    const before = member.store.addCustomer({
      email: "old-customer@example.com",
      first_name: "Oda",
    });

    const first = await answer(() =>
      memberLoader({ request: signed("member", String(before.id)), params: {}, context: {} }),
    );
    const second = await answer(() =>
      memberLoader({ request: signed("member", String(before.id)), params: {}, context: {} }),
    );

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(((await first.json()) as { member: unknown }).member).toMatchObject({
      pointsBalance: 0,
    });
    expect(await memberOf(before.id)).toMatchObject({ firstName: "Oda", status: "active" });
    const activated = await prisma.loyaltyEvent.findMany({
      where: { customerId: BigInt(before.id), type: "member.activated" },
    });
    expect(activated.map((e) => e.payload)).toEqual([
      expect.objectContaining({ source: "storefront" }),
    ]);
  });
});
