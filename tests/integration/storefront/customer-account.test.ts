/**
 * The customer account and order status extensions' endpoints (/customer-account/*) through real
 * requests signed as Shopify signs those extensions' session tokens: the shop comes from `dest`,
 * the customer only from `sub`, and every answer is that customer's of that shop.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as birthday } from "~/routes/customer-account.birthday";
import { action as redeem } from "~/routes/customer-account.redeem";
import { loader as member } from "~/routes/customer-account.member";
import { loader as orderPoints } from "~/routes/customer-account.order-points";
import { saveProgram } from "~/services/program/versions.server";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { deliver, eventsOf } from "../../support/deliveries";
import { catalog, FIVE_OFF, memberWithPoints, routeAdminApiToStandIn } from "../../support/rewards";
import { API_SECRET, APP_URL, TEST_SHOP } from "../../support/webhooks";

const API_KEY = process.env.SHOPIFY_API_KEY ?? "sandbox-loyalty-api-key";
const TOKEN = "shpat_account_test";
let shopifyStore: SandboxStore | null = null;

beforeAll(() => routeAdminApiToStandIn(() => shopifyStore, TOKEN));

/** A session token as Shopify gives a customer account extension (no `sub` for a guest). */
async function sessionToken(customerId: bigint | null, secret = API_SECRET) {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ dest: TEST_SHOP })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setAudience(API_KEY)
    .setIssuedAt(now)
    .setNotBefore(now - 5)
    .setExpirationTime(now + 300);
  if (customerId !== null) jwt.setSubject(`gid://shopify/Customer/${customerId}`);
  return jwt.sign(new TextEncoder().encode(secret));
}

async function call(
  route: (args: LoaderFunctionArgs) => Promise<Response>,
  path: string,
  customerId: bigint | null,
  init: RequestInit & { secret?: string } = {},
) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${await sessionToken(customerId, init.secret)}`);
  headers.set("origin", "https://extensions.shopifycdn.com");
  const request = new Request(new URL(path, APP_URL), { ...init, headers });
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
});
