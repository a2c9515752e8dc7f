/**
 * The POS extension's endpoints (/pos/*) through requests signed as POS signs its session tokens
 * (the shop in `dest`, the staff member in `sub`): the cart customer's loyalty, a redemption
 * applied once per tap, and points adjusted with a required note.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as adjust } from "~/routes/pos.adjust";
import { loader as customer } from "~/routes/pos.customer";
import { action as redeem } from "~/routes/pos.redeem";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { eventsOf } from "../../support/deliveries";
import { catalog, FIVE_OFF, memberWithPoints, routeAdminApiToStandIn } from "../../support/rewards";
import { extensionToken, type ExtensionTokenClaims } from "../../support/extension-tokens";
import { APP_URL, TEST_SHOP } from "../../support/webhooks";
import { PROXY_LIMITS } from "~/domain/storefront/rate-limit";

const TOKEN = "shpat_pos_test";
const STAFF = "gid://shopify/User/7001";
let shopifyStore: SandboxStore | null = null;

beforeAll(() => routeAdminApiToStandIn(() => shopifyStore, TOKEN));

async function call(
  route: (args: LoaderFunctionArgs) => Promise<Response>,
  path: string,
  body?: Record<string, unknown>,
  staff: string | null = STAFF,
  token: Omit<ExtensionTokenClaims, "sub"> = {},
) {
  const signed = await extensionToken({ dest: `https://${TEST_SHOP}`, ...token, sub: staff });
  const headers = new Headers({ authorization: `Bearer ${signed}` });
  headers.set("origin", "https://extensions.shopifycdn.com");
  if (body) headers.set("content-type", "application/json");
  const request = new Request(new URL(path, APP_URL), {
    method: body ? "POST" : "GET",
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  try {
    return await route({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("POS endpoints", () => {
  it("shows the cart customer's points and rewards, and redeems once per tap", async () => {
    const ada = await memberWithPoints(800);
    shopifyStore = ada.store;
    await catalog(ada.shopId, FIVE_OFF);

    const before = await (await call(customer, `/pos/customer?customer=${ada.customerId}`)).json();
    const tap = { customer: `gid://shopify/Customer/${ada.customerId}`, reward: "five-off" };
    const first = await call(redeem, "/pos/redeem", { ...tap, request_id: "tap-000001" });
    const resent = await call(redeem, "/pos/redeem", { ...tap, request_id: "tap-000001" });

    expect(before.member).toMatchObject({ pointsBalance: 800 });
    expect(before.rewards).toEqual([
      expect.objectContaining({ handle: "five-off", available: true }),
    ]);
    const issued = await first.json();
    expect(issued.code).toMatch(/^LOYAL-/);
    expect((await resent.json()).code).toBe(issued.code);
    expect(ada.store.adminApi.discountByCode(issued.code)).toBeDefined();
    const member = await prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId: ada.shopId, customerId: ada.customerId } },
    });
    expect(member.pointsBalance).toBe(300);
  });

  it("adds points with the staff member's note, once per tap; refuses no note or a debt", async () => {
    const bo = await memberWithPoints(50);
    shopifyStore = bo.store;
    const add = { customer: String(bo.customerId), points: 25, note: "Birthday visit in store" };

    const added = await call(adjust, "/pos/adjust", { ...add, request_id: "adj-000001" });
    await call(adjust, "/pos/adjust", { ...add, request_id: "adj-000001" });
    const noNote = await call(adjust, "/pos/adjust", {
      ...add,
      note: "",
      request_id: "adj-000002",
    });
    const debt = await call(adjust, "/pos/adjust", {
      ...add,
      points: -500,
      request_id: "adj-000003",
    });

    expect(added.status).toBe(200);
    expect(noNote.status).toBe(422);
    expect((await noNote.json()).error.message).toContain("note: say why");
    expect(debt.status).toBe(422);
    expect((await debt.json()).error.code).toBe("insufficient_points");
    const events = await eventsOf(bo.customer.id, "points.added");
    expect(events.map((e) => e.payload)).toContainEqual(
      expect.objectContaining({
        points: 25,
        source: "manual",
        note: "POS (staff 7001): Birthday visit in store",
      }),
    );
    expect(events.filter((e) => (e.payload as { points: number }).points === 25)).toHaveLength(1);
  });

  it("welcomes a customer from before the install at the till (source pos)", async () => {
    const cy = await memberWithPoints(0);
    shopifyStore = cy.store;
    const newcomer = cy.store.addCustomer({ email: "till-newcomer@example.com" });

    const answer = await (await call(customer, `/pos/customer?customer=${newcomer.id}`)).json();

    expect(answer.member).toMatchObject({ pointsBalance: 0 });
    const [activated] = await eventsOf(newcomer.id, "member.activated");
    expect(activated?.payload).toMatchObject({ source: "pos" });
  });

  it("refuses a forged token, a token without a staff member and a bad customer id", async () => {
    const di = await memberWithPoints(0);
    shopifyStore = di.store;
    const anonymous = await call(
      customer,
      `/pos/customer?customer=${di.customerId}`,
      undefined,
      null,
    );
    const bad = await call(customer, "/pos/customer?customer=abc");
    const forged = await call(
      adjust,
      "/pos/adjust",
      { customer: String(di.customerId), points: 1000, note: "forged", request_id: "forged-01" },
      STAFF,
      { secret: "not-the-app-secret" },
    );
    expect(forged.status).toBe(401);
    expect(
      await prisma.ledgerEntry.count({
        where: { idempotencyKey: { startsWith: "pos:7001:forged" } },
      }),
    ).toBe(0);
    expect(anonymous.status).toBe(401);
    expect(bad.status).toBe(422);
  });

  it("answers 429 with Retry-After past one staff member's limit, with CORS; others go on", async () => {
    const ada = await memberWithPoints(100);
    shopifyStore = ada.store;
    const look = (staff: string) =>
      call(customer, `/pos/customer?customer=${ada.customerId}`, undefined, staff);
    for (let i = 0; i < PROXY_LIMITS.read.limit; i++) {
      expect((await look("gid://shopify/User/7100")).status).toBe(200);
    }

    const limited = await look("gid://shopify/User/7100");

    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("access-control-allow-origin")).toBe("*");
    expect((await look("gid://shopify/User/7101")).status).toBe(200);
  });

  it("refuses an expired token and one for a shop without the app: nothing changes", async () => {
    const el = await memberWithPoints(100);
    shopifyStore = el.store;
    const take = { customer: String(el.customerId), points: -100, note: "Returned goods" };

    const expired = await call(
      adjust,
      "/pos/adjust",
      { ...take, request_id: "adj-expired1" },
      STAFF,
      {
        expiredSecondsAgo: 30,
      },
    );
    const uninstalled = await call(
      adjust,
      "/pos/adjust",
      { ...take, request_id: "adj-elsewhere1" },
      STAFF,
      { dest: "https://never-installed.myshopify.com" },
    );

    expect(expired.status).toBe(401);
    expect(uninstalled.status).toBe(404);
    expect((await uninstalled.json()).error.code).toBe("not_installed");
    const member = await prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId: el.shopId, customerId: el.customerId } },
    });
    expect(member.pointsBalance).toBe(100);
  });

  it("two staff devices redeeming the last points at once end with one reward", async () => {
    const fay = await memberWithPoints(500);
    shopifyStore = fay.store;
    await catalog(fay.shopId, FIVE_OFF);
    const tap = { customer: String(fay.customerId), reward: "five-off" };

    const answers = await Promise.all([
      call(
        redeem,
        "/pos/redeem",
        { ...tap, request_id: "till-1-tap-01" },
        "gid://shopify/User/7001",
      ),
      call(
        redeem,
        "/pos/redeem",
        { ...tap, request_id: "till-2-tap-01" },
        "gid://shopify/User/7002",
      ),
    ]);

    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 422]);
    const refused = answers.find((answer) => answer.status === 422)!;
    expect((await refused.json()).error.code).toBe("insufficient_points");
    const member = await prisma.member.findUniqueOrThrow({
      where: { shopId_customerId: { shopId: fay.shopId, customerId: fay.customerId } },
    });
    expect(member.pointsBalance).toBe(0);
    expect(await prisma.redemption.count({ where: { memberId: member.id } })).toBe(1);
    const granted = answers.find((answer) => answer.status === 200)!;
    expect(fay.store.adminApi.discountByCode((await granted.json()).code)).toBeDefined();
    expect(await eventsOf(fay.customer.id, "reward.issued")).toHaveLength(1);
  });
});
