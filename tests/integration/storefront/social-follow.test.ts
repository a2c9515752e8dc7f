import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action as follow } from "~/routes/proxy.follow";
import { loader as programLoader } from "~/routes/proxy.program";
import { saveProgram } from "~/services/program/versions.server";
import { signAppProxyQuery } from "../../../sandbox/shopify/signing";
import type { SandboxStore } from "../../../sandbox/shopify/store";
import { eventsOf, expectBalanceMatchesLedger, memberOf } from "../../support/deliveries";
import { memberWithPoints, routeAdminApiToStandIn } from "../../support/rewards";
import { API_SECRET, APP_URL, TEST_SHOP } from "../../support/webhooks";

// The widget's social follows through the signed App Proxy (issue #23): honour-based, the points
// once per network per member, only for networks the shop switched on, only signed in.

let shopifyStore: SandboxStore | null = null;
let click = 0;

beforeAll(() => routeAdminApiToStandIn(() => shopifyStore, "shpat_proxy_follow"));

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

async function answer(run: () => Promise<Response>) {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function followAs(customerId: string, body: Record<string, unknown>) {
  const request = signed("follow", customerId, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ request_id: `follow-click-${++click}`, ...body }),
  });
  return answer(() => follow({ request, params: {}, context: {} }));
}

const SOCIAL = {
  instagram: { url: "https://www.instagram.com/loyalshop", points: 20 },
  tiktok: { url: "https://www.tiktok.com/@loyalshop", points: 0 },
  x: { url: "https://x.com/loyalshop", points: 5 },
};

async function setUp() {
  const member = await memberWithPoints(0);
  shopifyStore = member.store;
  await saveProgram(prisma, member.shopId, { bonuses: { social: SOCIAL } }, "test");
  return { ...member, id: String(member.customerId), number: Number(member.customerId) };
}

describe("social follows through the App Proxy", () => {
  it("credits each switched-on network once per member, source social_follow with the network", async () => {
    const member = await setUp();

    const instagram = await followAs(member.id, { network: "instagram" });
    const again = await followAs(member.id, { network: "instagram" });
    const x = await followAs(member.id, { network: "x" });

    expect(instagram.status).toBe(200);
    expect(await instagram.json()).toEqual({ network: "instagram", points: 20, balance: 20 });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "limit_reached" } });
    expect(x.status).toBe(200);
    expect((await memberOf(member.number))?.pointsBalance).toBe(25);
    expect((await eventsOf(member.number, "points.added")).map((e) => e.payload)).toEqual([
      expect.objectContaining({ points: 20, source: "social_follow", note: "Instagram" }),
      expect.objectContaining({ points: 5, source: "social_follow", note: "X" }),
    ]);
    await expectBalanceMatchesLedger(member.number);
  });

  it("a resent click (same request id) gets the first answer; two clicks at once credit once", async () => {
    const member = await setUp();
    const body = { network: "instagram", request_id: "resent-click-0001" };

    const first = await followAs(member.id, body);
    const resent = await followAs(member.id, body);
    const together = await Promise.all([
      followAs(member.id, { network: "x" }),
      followAs(member.id, { network: "x" }),
    ]);

    expect(first.status).toBe(200);
    expect(resent.status).toBe(200);
    expect(await resent.json()).toEqual({ network: "instagram", points: 20, balance: 20 });
    expect(together.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await memberOf(member.number))?.pointsBalance).toBe(25);
    expect(await eventsOf(member.number, "points.added")).toHaveLength(2);
  });

  it("refuses a switched-off or unknown network, a bad request id and a signed-out shopper", async () => {
    const member = await setUp();

    const off = await followAs(member.id, { network: "tiktok" });
    const unset = await followAs(member.id, { network: "facebook" });
    const unknown = await followAs(member.id, { network: "myspace" });
    const noRequestId = await followAs(member.id, { network: "x", request_id: "x" });
    const signedOut = await followAs("", { network: "instagram" });

    expect(off.status).toBe(422);
    expect(await off.json()).toMatchObject({
      error: { code: "invalid_input", message: expect.stringMatching(/TikTok/) },
    });
    expect(unset.status).toBe(422);
    expect(unknown.status).toBe(422);
    expect(noRequestId.status).toBe(422);
    expect(signedOut.status).toBe(401);
    expect((await memberOf(member.number))?.pointsBalance).toBe(0);
    expect(await eventsOf(member.number, "points.added")).toEqual([]);
  });

  it("the program the widget reads lists the switched-on follows with their links", async () => {
    const member = await setUp();

    const response = await answer(() =>
      programLoader({ request: signed("program", member.id), params: {}, context: {} }),
    );

    const body = (await response.json()) as { program: { waysToEarn: unknown[] } };
    expect(body.program.waysToEarn).toEqual(
      expect.arrayContaining([
        {
          kind: "social",
          network: "instagram",
          name: "Instagram",
          url: SOCIAL.instagram.url,
          points: 20,
        },
        { kind: "social", network: "x", name: "X", url: SOCIAL.x.url, points: 5 },
      ]),
    );
    expect(body.program.waysToEarn).not.toContainEqual(
      expect.objectContaining({ network: "tiktok" }),
    );
  });
});
