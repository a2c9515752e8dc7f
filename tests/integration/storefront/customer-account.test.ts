/**
 * The customer account and order status extensions' endpoints (/customer-account/*) through real
 * requests signed as Shopify signs those extensions' session tokens: the shop comes from `dest`,
 * the customer only from `sub`, and every answer is that customer's of that shop.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as birthday } from "~/routes/customer-account.birthday";
import { action as redeem } from "~/routes/customer-account.redeem";
import { loader as member } from "~/routes/customer-account.member";
import { loader as orderPoints } from "~/routes/customer-account.order-points";
import { saveProgram } from "~/services/program/versions.server";
import { ensureShop } from "~/services/shops/ensure.server";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { deliver, eventsOf } from "../../support/deliveries";
import { catalog, FIVE_OFF, memberWithPoints, routeAdminApiToStandIn } from "../../support/rewards";
import { extensionToken, type ExtensionTokenClaims } from "../../support/extension-tokens";
import { APP_URL } from "../../support/webhooks";
import { PROXY_LIMITS } from "~/domain/storefront/rate-limit";

const TOKEN = "shpat_account_test";
let shopifyStore: SandboxStore | null = null;

beforeAll(() => routeAdminApiToStandIn(() => shopifyStore, TOKEN));

async function call(
  route: (args: LoaderFunctionArgs) => Promise<Response>,
  path: string,
  customerId: bigint | null,
  init: RequestInit & Omit<ExtensionTokenClaims, "sub"> = {},
) {
  const { dest, secret, expiredSecondsAgo, ...requestInit } = init;
  const sub = customerId === null ? null : `gid://shopify/Customer/${customerId}`;
  const token = await extensionToken({ dest, sub, secret, expiredSecondsAgo });
  const headers = new Headers(requestInit.headers);
  headers.set("authorization", `Bearer ${token}`);
  headers.set("origin", "https://extensions.shopifycdn.com");
  const request = new Request(new URL(path, APP_URL), { ...requestInit, headers });
  try {
    return await route({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const post = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("customer account endpoints", () => {
  it("answers the signed-in customer's points, rewards, codes and history, with CORS", async () => {
    const ada = await memberWithPoints(1200);
    shopifyStore = ada.store;
    await catalog(ada.shopId, FIVE_OFF);

    const response = await call(member, "/customer-account/member", ada.customerId);

    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = await response.json();
    expect(body.member).toMatchObject({ pointsBalance: 1200, availablePoints: 1200 });
    expect(body.rewards).toEqual([
      expect.objectContaining({ handle: "five-off", pointsCost: 500, available: true }),
    ]);
    expect(body.history).toEqual([
      expect.objectContaining({ points: 1200, source: "manual", orderName: null }),
    ]);
  });

  it("redeems once per click, and the code shows up in the customer's rewards", async () => {
    const bo = await memberWithPoints(1000);
    shopifyStore = bo.store;
    await catalog(bo.shopId, FIVE_OFF);
    const click = post({ reward: "five-off", request_id: "click-0001" });

    const first = await call(redeem, "/customer-account/redeem", bo.customerId, click);
    const again = await call(
      redeem,
      "/customer-account/redeem",
      bo.customerId,
      post({ reward: "five-off", request_id: "click-0001" }),
    );

    expect(first.status).toBe(200);
    const issued = await first.json();
    expect(issued).toMatchObject({ pointsSpent: 500, code: expect.stringMatching(/^LOYAL-/) });
    expect((await again.json()).code).toBe(issued.code);
    const after = await (await call(member, "/customer-account/member", bo.customerId)).json();
    expect(after.member.pointsBalance).toBe(500);
    expect(after.member.codes).toEqual([expect.objectContaining({ code: issued.code })]);
    expect(after.history[0]).toMatchObject({ points: -500, source: "reward_redemption" });
  });

  it("says what an order earned and until when its points are held; a guest gets the program", async () => {
    const cy = await memberWithPoints(0);
    shopifyStore = cy.store;
    await saveProgram(prisma, cy.shopId, { pending: { days: 14 } }, "test");
    const order = cy.store.addPaidOrder(cy.customer, [
      { title: "Lamp", price: "40.00", quantity: 1 },
    ]);
    await deliver("orders/paid", order);
    const query = `/customer-account/order-points?order=gid://shopify/Order/${order.id}`;

    const earned = await (await call(orderPoints, query, cy.customerId)).json();
    const guest = await (await call(orderPoints, query, null)).json();
    const other = await call(
      orderPoints,
      `/customer-account/order-points?order=gid://shopify/Order/999999`,
      cy.customerId,
    );

    expect(earned).toEqual({
      state: "earned",
      points: 40,
      heldUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(guest).toMatchObject({ state: "guest", program: expect.any(Object) });
    expect(await other.json()).toEqual({ state: "none" });
  });

  it("saves the birthday the customer enters, and refuses an impossible date", async () => {
    const ed = await memberWithPoints(0);
    shopifyStore = ed.store;

    const saved = await call(
      birthday,
      "/customer-account/birthday",
      ed.customerId,
      post({ month: 2, day: 29 }),
    );
    const impossible = await call(
      birthday,
      "/customer-account/birthday",
      ed.customerId,
      post({ month: 2, day: 30 }),
    );

    expect(saved.status).toBe(200);
    const after = await (await call(member, "/customer-account/member", ed.customerId)).json();
    expect(after.member.birthday).toEqual({ month: 2, day: 29 });
    expect(impossible.status).toBe(422);
    const [captured] = await eventsOf(ed.customer.id, "birth_month.captured");
    expect(captured?.payload).toMatchObject({ birth_month: 2, birth_day: 29 });
  });

  it("refuses a forged token, a guest's member request and a bad order id", async () => {
    const di = await memberWithPoints(10);
    shopifyStore = di.store;
    const forged = await call(member, "/customer-account/member", di.customerId, {
      secret: "not-the-app-secret",
    });
    const guest = await call(member, "/customer-account/member", null);
    const bad = await call(orderPoints, "/customer-account/order-points?order=42", di.customerId);

    expect(forged.status).toBe(401);
    expect(guest.status).toBe(401);
    expect((await guest.json()).error.code).toBe("sign_in");
    expect(bad.status).toBe(422);
  });

  it("answers 429 with Retry-After past the customer's read limit, with CORS; others go on", async () => {
    const cy = await memberWithPoints(100);
    const other = await memberWithPoints(100, cy.store);
    shopifyStore = cy.store;
    const look = (customerId: bigint) => call(member, "/customer-account/member", customerId);
    for (let i = 0; i < PROXY_LIMITS.read.limit; i++) {
      expect((await look(cy.customerId)).status).toBe(200);
    }

    const limited = await look(cy.customerId);

    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("access-control-allow-origin")).toBe("*");
    expect((await look(other.customerId)).status).toBe(200);
  });

  it("refuses an expired token and another shop's token: nothing read, nothing changed", async () => {
    const fi = await memberWithPoints(600);
    shopifyStore = fi.store;
    await catalog(fi.shopId, FIVE_OFF);
    const other = await ensureShop(prisma, "other-loyalty-shop.myshopify.com");
    const membersBefore = await prisma.member.count();
    const click = post({ reward: "five-off", request_id: "click-expired-01" });

    const expired = await call(member, "/customer-account/member", fi.customerId, {
      expiredSecondsAgo: 60,
    });
    const expiredRedeem = await call(redeem, "/customer-account/redeem", fi.customerId, {
      ...click,
      expiredSecondsAgo: 60,
    });
    const elsewhere = await call(member, "/customer-account/member", fi.customerId, {
      dest: other.domain,
    });
    const elsewhereRedeem = await call(redeem, "/customer-account/redeem", fi.customerId, {
      ...post({ reward: "five-off", request_id: "click-elsewhere-01" }),
      dest: other.domain,
    });
    const uninstalled = await call(member, "/customer-account/member", fi.customerId, {
      dest: "never-installed.myshopify.com",
    });

    expect(expired.status).toBe(401);
    expect(expiredRedeem.status).toBe(401);
    // The other shop has no such member, so it would ask its own Shopify about the customer (it
    // has no access here): nothing of this shop's member is read, and no redemption happens.
    expect(elsewhere.status).toBe(503);
    expect((await elsewhere.json()).error.code).toBe("shopify_unavailable");
    expect(elsewhereRedeem.status).toBe(503);
    expect(uninstalled.status).toBe(404);
    const after = await prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId: fi.shopId, customerId: fi.customerId } },
    });
    expect(after.pointsBalance).toBe(600);
    expect(await prisma.redemption.count({ where: { memberId: after.id } })).toBe(0);
    expect(await prisma.member.count()).toBe(membersBefore);
  });
});
