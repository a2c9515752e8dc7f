import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as memberAction, loader as memberPage } from "~/routes/app.members.$id";
import { action as flowGrant } from "~/routes/flow.grant-reward";
import { loader as proxyMember } from "~/routes/proxy.member";
import { action as proxyRedeem } from "~/routes/proxy.redeem";
import { action as rewardSettings } from "~/routes/app.settings.rewards";
import { runDailyMaintenance } from "~/services/daily/maintenance.server";
import { signedFlowActionRequest } from "../../../sandbox/shopify/signing";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import {
  deliver,
  eventsOf,
  expectBalanceMatchesLedger,
  memberOf,
  newStore,
} from "../../support/deliveries";
import { callProxy, proxyPost, proxyRequest } from "../../support/proxy";
import { catalog, FIVE_OFF, routeAdminApiToStandIn } from "../../support/rewards";
import { API_SECRET, APP_URL, callAction, TEST_SHOP } from "../../support/webhooks";

// Issue #21: a reward the merchant fulfils by hand (gift wrap). It costs points like any reward
// but nothing is created at Shopify: the app's code is the reference the shopper quotes, and
// staff mark it fulfilled on the member page (reward.used without an order).

const GIFT_WRAP = {
  type: "custom",
  handle: "gift-wrap",
  name: "Gift wrap",
  pointsCost: 300,
  instructions:
    "Gift wrap will be added to your next order; mention this code at checkout or reply to your confirmation email.",
  codeExpiryDays: 60,
};

const DAY = 86_400_000;
const store = newStore();
const customers: Record<"ana" | "bo" | "cy", { id: number; memberId: string }> = {} as never;

beforeAll(async () => {
  await installTestShop();
  await routeAdminApiToStandIn(() => store, "shpat_test", { session: "existing" });
  for (const name of ["ana", "bo", "cy"] as const) {
    const customer = store.addCustomer({ email: `${name}-custom@example.com`, first_name: name });
    await deliver("customers/create", customer);
    await deliver(
      "orders/paid",
      store.addPaidOrder(customer, [{ title: "Scarf", price: "800.00", quantity: 1 }]),
    );
    customers[name] = { id: customer.id, memberId: (await memberOf(customer.id))!.id };
  }
});

const balance = async (customerId: number) => (await memberOf(customerId))!.pointsBalance;

/** Everything the app could have made at Shopify for a reward. */
const shopifyObjects = () => ({
  discounts: store.adminApi.discountCodes.size,
  giftCards: store.adminApi.giftCards.size,
  storeCredit: store.adminApi.storeCreditAccounts.size,
});

async function onMemberPage(memberId: string, form: Record<string, string>) {
  return callRouteAction(memberAction, await adminRequest(`/app/members/${memberId}`, form), {
    id: memberId,
  });
}

async function memberRewardsShown(memberId: string) {
  const page = dataOf(
    await callLoader(memberPage, await adminRequest(`/app/members/${memberId}`), { id: memberId }),
  );
  return page.issued;
}

type Redeemed = { redemptionId: string; code: string; instructions: string; fresh: boolean };
const redeemInWidget = (customerId: number, requestId: string) =>
  callProxy<Redeemed>(
    proxyRedeem,
    proxyPost("redeem", customerId, { reward: GIFT_WRAP.handle, request_id: requestId }),
  );

describe("the merchant's reward catalog", () => {
  it("creates a custom reward from the admin form, and says what is missing", async () => {
    const create = async (draft: object) =>
      callRouteAction(
        rewardSettings,
        await adminRequest("/app/settings/rewards", {
          intent: "create",
          draft: JSON.stringify(draft),
        }),
      );

    const blank = await create({ ...GIFT_WRAP, instructions: " " });
    const tooLong = await create({ ...GIFT_WRAP, instructions: "x".repeat(501) });
    const created = await create(GIFT_WRAP);

    expect(blank).toEqual({
      ok: false,
      errors: { instructions: "Tell the customer how they get this reward" },
    });
    expect(tooLong).toEqual({
      ok: false,
      errors: { instructions: "Keep the instructions to 500 characters or fewer" },
    });
    expect(created).toMatchObject({ ok: true });
  });
});

describe("redeeming a custom reward in the storefront widget", () => {
  it("takes the points once and issues a code with the instructions, creating nothing at Shopify", async () => {
    const { id } = customers.ana;
    const before = await balance(id);
    const atShopify = shopifyObjects();

    const first = await redeemInWidget(id, "gift-wrap-click-1");
    const resent = await redeemInWidget(id, "gift-wrap-click-1");

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      rewardName: "Gift wrap",
      valueFormatted: "Gift wrap",
      code: expect.stringMatching(/^LOYAL-[0-9A-F]{12}$/),
      pointsSpent: 300,
      instructions: GIFT_WRAP.instructions,
      fresh: true,
    });
    expect(resent.body).toMatchObject({ code: first.body.code, fresh: false });
    expect(await balance(id)).toBe(before - 300);
    expect(shopifyObjects()).toEqual(atShopify);
    expect(store.adminApi.discountByCode(first.body.code)).toBeUndefined();

    const issued = await eventsOf(id, "reward.issued");
    expect(issued.map((e) => e.payload)).toEqual([
      {
        reward_id: first.body.redemptionId,
        reward_name: "Gift wrap",
        reward_type: "custom",
        source: "points_redemption",
        code: first.body.code,
        value_minor: null,
        value_percentage: null,
        currency: null,
        value_formatted: "Gift wrap",
        expires_at: expect.any(String),
        points_spent: 300,
      },
    ]);
    expect(await eventsOf(id, "points.subtracted")).toHaveLength(1);
    await expectBalanceMatchesLedger(id);
  });

  it("lists it in My rewards with its instructions and code", async () => {
    const { id } = customers.ana;
    const answer = await callProxy<{
      member: { codes: Record<string, unknown>[] };
    }>(proxyMember, proxyRequest("member", id));

    expect(answer.status).toBe(200);
    expect(answer.body.member.codes).toEqual([
      expect.objectContaining({
        code: expect.stringMatching(/^LOYAL-/),
        name: "Gift wrap",
        type: "custom",
        status: "ready",
        valueMinor: null,
        instructions: GIFT_WRAP.instructions,
      }),
    ]);
  });
});

describe("staff fulfil a custom reward on the member page", () => {
  it("marks it used with reward.used and no order; a second click changes nothing", async () => {
    const { id, memberId } = customers.ana;
    const [shown] = await memberRewardsShown(memberId);
    expect(shown).toMatchObject({
      name: "Gift wrap",
      state: "issued",
      fulfillable: true,
      voidable: true,
    });
    const before = await balance(id);

    const done = await onMemberPage(memberId, { intent: "fulfil", redemption: shown!.id });
    const again = await onMemberPage(memberId, { intent: "fulfil", redemption: shown!.id });

    expect(done).toEqual({
      ok: true,
      intent: "fulfil",
      message: "Reward marked fulfilled: it now shows as used.",
    });
    expect(again).toEqual({
      ok: true,
      intent: "fulfil",
      message: "This reward was already marked fulfilled; nothing changed.",
    });
    expect((await eventsOf(id, "reward.used")).map((e) => e.payload)).toEqual([
      {
        reward_id: shown!.id,
        reward_name: "Gift wrap",
        reward_type: "custom",
        code: shown!.code,
        order_id: null,
        order_name: null,
      },
    ]);
    const row = await prisma.redemption.findUniqueOrThrow({ where: { id: shown!.id } });
    expect(row).toMatchObject({ state: "used", usedOrderId: null, endedAt: expect.any(Date) });
    expect(await balance(id)).toBe(before);
    const [after] = await memberRewardsShown(memberId);
    expect(after).toMatchObject({ state: "used", fulfillable: false, voidable: false });

    const voided = await onMemberPage(memberId, { intent: "void", redemption: shown!.id });
    expect(voided).toMatchObject({ ok: false, intent: "void" });
    const member = await callProxy<{ member: { codes: { status: string }[] } }>(
      proxyMember,
      proxyRequest("member", id),
    );
    expect(member.body.member.codes.map((c) => c.status)).toEqual(["used"]);
  });

  it("refuses to mark a discount code, or another member's reward, fulfilled", async () => {
    const bo = customers.bo;
    await catalog((await prisma.shop.findFirstOrThrow()).id, FIVE_OFF);
    await onMemberPage(bo.memberId, {
      intent: "redeem",
      reward: FIVE_OFF.handle,
      formToken: randomUUID(),
    });
    const [discount] = await memberRewardsShown(bo.memberId);
    const notCustom = await onMemberPage(bo.memberId, {
      intent: "fulfil",
      redemption: discount!.id,
    });
    expect(discount).toMatchObject({ name: FIVE_OFF.name, fulfillable: false, voidable: true });
    expect(notCustom).toMatchObject({
      ok: false,
      errors: { form: expect.stringMatching(/^Only an unused custom reward/) },
    });
    expect(await eventsOf(bo.id, "reward.used")).toEqual([]);

    const theirs = await redeemInWidget(bo.id, "gift-wrap-bo-1");
    const refused = await onMemberPage(customers.ana.memberId, {
      intent: "fulfil",
      redemption: theirs.body.redemptionId,
    });
    expect(refused).toMatchObject({
      ok: false,
      errors: { form: expect.stringMatching(/is not this member's/) },
    });
    expect((await memberRewardsShown(bo.memberId))[0]).toMatchObject({ state: "issued" });
  });
});

describe("staff void an unused custom reward", () => {
  it("returns its points and ends the code with reward.expired voided, once", async () => {
    const { id, memberId } = customers.cy;
    const before = await balance(id);
    const redeemed = await redeemInWidget(id, "gift-wrap-cy-1");
    expect(await balance(id)).toBe(before - 300);

    const voided = await onMemberPage(memberId, {
      intent: "void",
      redemption: redeemed.body.redemptionId,
    });
    const again = await onMemberPage(memberId, {
      intent: "void",
      redemption: redeemed.body.redemptionId,
    });
    const fulfilLate = await onMemberPage(memberId, {
      intent: "fulfil",
      redemption: redeemed.body.redemptionId,
    });

    expect(voided).toMatchObject({ ok: true, intent: "void" });
    expect(again).toMatchObject({ ok: false, intent: "void" });
    expect(fulfilLate).toEqual({
      ok: false,
      intent: "fulfil",
      errors: {
        form: "Only an unused custom reward can be marked fulfilled; this one was voided or expired, or is used at checkout.",
      },
    });
    expect(await balance(id)).toBe(before);
    expect((await eventsOf(id, "reward.expired")).map((e) => e.payload)).toEqual([
      expect.objectContaining({
        reward_type: "custom",
        code: redeemed.body.code,
        reason: "voided",
      }),
    ]);
    expect((await eventsOf(id, "points.added")).at(-1)?.payload).toMatchObject({
      points: 300,
      source: "reward_redemption_reverted",
    });
    expect(await eventsOf(id, "reward.used")).toEqual([]);
    await expectBalanceMatchesLedger(id);
  });
});

describe("granting a custom reward without points", () => {
  it("issues it from Flow's Grant loyalty reward at no cost, with its code", async () => {
    const { id } = customers.bo;
    const before = await balance(id);
    const atShopify = shopifyObjects();
    const response = await callAction(
      flowGrant,
      signedFlowActionRequest({
        url: `${APP_URL}/flow/grant-reward`,
        secret: API_SECRET,
        shop: TEST_SHOP,
        handle: "loyalty-grant-reward",
        actionRunId: "custom-grant-1",
        properties: { customer_id: String(id), reward: GIFT_WRAP.handle },
      }),
    );

    expect(response.status).toBe(200);
    expect(await balance(id)).toBe(before);
    expect(shopifyObjects()).toEqual(atShopify);
    expect((await eventsOf(id, "reward.issued")).at(-1)?.payload).toMatchObject({
      reward_type: "custom",
      source: "shopify_flow_action",
      code: expect.stringMatching(/^LOYAL-/),
      points_spent: 0,
    });
  });
});

describe("a custom reward left unused", () => {
  it("expires after its days through the daily maintenance, without returning points", async () => {
    const { id } = customers.cy;
    const redeemed = await redeemInWidget(id, "gift-wrap-cy-2");
    const balanceAfter = await balance(id);
    const row = await prisma.redemption.findUniqueOrThrow({
      where: { id: redeemed.body.redemptionId },
    });
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBeGreaterThan(59 * DAY);

    await runDailyMaintenance(row.shopId, new Date(row.expiresAt!.getTime() + DAY));

    const expired = await prisma.redemption.findUniqueOrThrow({ where: { id: row.id } });
    expect(expired.state).toBe("expired");
    expect((await eventsOf(id, "reward.expired")).at(-1)?.payload).toMatchObject({
      reward_type: "custom",
      code: redeemed.body.code,
      reason: "expired",
    });
    expect(await balance(id)).toBe(balanceAfter);
  });
});
