/**
 * The storefront widget's App Proxy routes (/member, /program, /birthday) through real signed
 * requests on a real database: what a shopper gets, what is cacheable, rate limits, bad input and
 * forged signatures, and the program metafield the theme extension reads.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { pointsForPrice, type ProgramSummary } from "~/domain/storefront/index";
import { PROXY_LIMITS } from "~/domain/storefront/rate-limit";
import { action as birthday } from "~/routes/proxy.birthday";
import { loader as member } from "~/routes/proxy.member";
import { loader as program } from "~/routes/proxy.program";
import { saveProgram } from "~/services/program/versions.server";
import { saveReferralProgram } from "~/services/referrals/program.server";
import { publishStorefrontProgram } from "~/services/storefront/program.server";
import { signAppProxyQuery } from "../../../sandbox/shopify/signing";
import { adminCallFor, catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";
import { API_SECRET, APP_URL, TEST_SHOP } from "../../support/webhooks";

type Route = (args: LoaderFunctionArgs) => Promise<Response>;

function signed(
  path: string,
  customerId: string,
  init?: RequestInit & { age?: number; forge?: Record<string, string> },
) {
  const params = {
    shop: TEST_SHOP,
    logged_in_customer_id: customerId,
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000) - (init?.age ?? 0)),
  };
  const query = new URLSearchParams({
    ...params,
    signature: signAppProxyQuery(params, API_SECRET),
    ...init?.forge,
  });
  return new Request(`${APP_URL}/proxy/${path}?${query}`, init);
}

async function call(route: Route, request: Request) {
  try {
    return await route({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const postBirthday = (
  customerId: string,
  body: unknown,
  init?: { forge?: Record<string, string> },
) =>
  signed("birthday", customerId, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...init,
  });

beforeEach(async () => {
  await prisma.session.upsert({
    where: { id: `offline_${TEST_SHOP}` },
    create: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "", accessToken: "shpat_x" },
    update: {},
  });
});

async function goldProgram(shopId: string) {
  await prisma.$transaction((tx) =>
    saveProgram(
      tx,
      shopId,
      {
        earning: { pointsPerUnit: 2, rounding: "nearest" },
        bonuses: { birthdayPoints: 100 },
        tiers: [{ id: "gold", name: "Gold", threshold: { kind: "lifetime_points", points: 1000 } }],
      },
      null,
    ),
  );
}

describe("GET /apps/loyalty/member", () => {
  it("gives the signed-in member balance, tier progress, rewards, referral link and ways to earn", async () => {
    const m = await memberWithPoints(800);
    await goldProgram(m.shopId);
    await catalog(m.shopId, FIVE_OFF);
    await saveReferralProgram(m.shopId, { enabled: true, advocatePoints: 250 });

    const response = await call(member, signed("member", String(m.customerId)));

    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = (await response.json()) as {
      member: Record<string, unknown> & { referral: { url: string } };
      rewards: { handle: string; available: boolean }[];
      program: ProgramSummary;
    };
    // Lifetime points count what was earned (a manual grant is not), so progress reads the row.
    const row = await prisma.member.findFirstOrThrow({ where: { customerId: m.customerId } });
    const remaining = Math.max(0, 1000 - row.lifetimeEarned);
    expect(body.member).toMatchObject({
      pointsBalance: 800,
      availablePoints: 800,
      tier: null,
      next: {
        name: "Gold",
        unit: "points",
        target: 1000,
        remaining,
        percent: Math.floor((100 * (1000 - remaining)) / 1000),
      },
      birthday: null,
    });
    expect(body.member.referral.url).toMatch(
      new RegExp(`^https://${TEST_SHOP.replaceAll(".", "\\.")}/\\?ref=[A-Z0-9]+`),
    );
    expect(body.rewards).toEqual([
      expect.objectContaining({ handle: "five-off", available: true }),
    ]);
    expect(body.program.waysToEarn).toEqual([
      { kind: "purchase", pointsPerUnit: 2 },
      { kind: "birthday", points: 100 },
      { kind: "referral", points: 250 },
    ]);
  });

  it("answers with the newest program and rewards at once after the merchant saves them", async () => {
    const m = await memberWithPoints(800);
    await goldProgram(m.shopId);
    await catalog(m.shopId, FIVE_OFF);
    const read = async () =>
      (await (await call(member, signed("member", String(m.customerId)))).json()) as {
        member: { next: { name: string; unit: string } | null };
        rewards: { handle: string; pointsCost: number; available: boolean }[];
      };
    expect((await read()).member.next).toMatchObject({ name: "Gold", unit: "points" });

    await prisma.$transaction((tx) =>
      saveProgram(
        tx,
        m.shopId,
        {
          tiers: [{ id: "vip", name: "VIP", threshold: { kind: "spend_365d", minor: 50_000 } }],
        },
        null,
      ),
    );
    await catalog(m.shopId, { ...FIVE_OFF, pointsCost: 900 });

    const after = await read();
    expect(after.member.next).toMatchObject({ name: "VIP", unit: "money", remaining: 50_000 });
    expect(after.rewards).toEqual([
      expect.objectContaining({ handle: "five-off", pointsCost: 900, available: false }),
    ]);
  });

  it("asks a signed-out shopper to sign in", async () => {
    await memberWithPoints(0);
    const response = await call(member, signed("member", ""));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "sign_in" } });
  });
});

describe("GET /apps/loyalty/program", () => {
  it("is the same for every shopper, so it may be cached publicly", async () => {
    const m = await memberWithPoints(0);
    await catalog(m.shopId, FIVE_OFF);
    await prisma.$transaction((tx) => saveProgram(tx, m.shopId, {}, null));
    await saveReferralProgram(m.shopId, { enabled: false });

    const anonymous = await call(program, signed("program", ""));
    const signedIn = await call(program, signed("program", String(m.customerId)));

    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get("cache-control")).toMatch(/^public, max-age=300/);
    const body = (await anonymous.json()) as { rewards: unknown[]; program: ProgramSummary };
    expect(await signedIn.json()).toEqual(body);
    expect(body.rewards).toEqual([
      {
        handle: "five-off",
        name: "$5 off",
        pointsCost: 500,
        points: null,
      },
    ]);
    expect(body.program.waysToEarn).toEqual([{ kind: "purchase", pointsPerUnit: 1 }]);
  });
});

describe("POST /apps/loyalty/birthday", () => {
  it("saves the signed-in member's birthday", async () => {
    const m = await memberWithPoints(0);

    const response = await call(
      birthday,
      postBirthday(String(m.customerId), { month: 5, day: 17 }),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ changed: true });
    const row = await prisma.member.findFirstOrThrow({ where: { customerId: m.customerId } });
    expect([row.birthMonth, row.birthDay, row.birthYear]).toEqual([5, 17, null]);
  });

  it.each([
    [{ month: 13, day: 1 }, /Month must be between 1 and 12/],
    [{ month: 2, day: 30 }, /does not have this day/],
    [{ month: "May", day: 1 }, /month/],
    [{ month: 5 }, /day/],
    [{ month: 5, day: 1, customer_id: "1" }, /customer_id/],
  ])("refuses %j with a 422 and changes nothing", async (input, message) => {
    const m = await memberWithPoints(0);

    const response = await call(birthday, postBirthday(String(m.customerId), input));

    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toMatch(message);
    const row = await prisma.member.findFirstOrThrow({ where: { customerId: m.customerId } });
    expect(row.birthMonth).toBeNull();
  });

  it("refuses a signed-out shopper", async () => {
    await memberWithPoints(0);
    const response = await call(birthday, postBirthday("", { month: 5, day: 17 }));
    expect(response.status).toBe(401);
  });
});

describe("signatures", () => {
  it.each([
    ["member", member],
    ["program", program],
  ] as const)("a forged or stale request to /%s gets a 400 and no data", async (path, route) => {
    const m = await memberWithPoints(500);
    const counters = await prisma.proxyRateCounter.count();
    const forged = await call(
      route as Route,
      signed(path, "", { forge: { logged_in_customer_id: String(m.customerId) } }),
    );
    const stale = await call(route as Route, signed(path, String(m.customerId), { age: 120 }));

    for (const response of [forged, stale]) {
      expect(response.status).toBe(400);
      expect(await response.text()).not.toMatch(/pointsBalance|waysToEarn/);
    }
    expect(await prisma.proxyRateCounter.count()).toBe(counters);
  });

  it("a forged birthday post changes nothing", async () => {
    const m = await memberWithPoints(0);
    const response = await call(
      birthday,
      postBirthday(
        "",
        { month: 5, day: 17 },
        { forge: { logged_in_customer_id: String(m.customerId) } },
      ),
    );
    expect(response.status).toBe(400);
    const row = await prisma.member.findFirstOrThrow({ where: { customerId: m.customerId } });
    expect(row.birthMonth).toBeNull();
  });
});

describe("rate limits", () => {
  // Windows are wall-clock minutes: freeze the clock just after one starts, so a slow run cannot
  // cross into the next window halfway through the loop.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const minute = 60_000;
    vi.setSystemTime(Math.floor(Date.now() / minute) * minute + minute + 1000);
  });
  afterEach(() => vi.useRealTimers());

  it("answers 429 with Retry-After once a customer's writes pass the limit, others unaffected", async () => {
    const m = await memberWithPoints(0);
    const other = await memberWithPoints(0, m.store);
    const statuses: number[] = [];
    for (let i = 0; i < PROXY_LIMITS.write.limit; i++) {
      const day = (i % 28) + 1;
      statuses.push(
        (await call(birthday, postBirthday(String(m.customerId), { month: 1, day }))).status,
      );
    }
    expect(statuses.every((s) => s === 200)).toBe(true);

    const limited = await call(birthday, postBirthday(String(m.customerId), { month: 3, day: 3 }));

    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    const row = await prisma.member.findFirstOrThrow({ where: { customerId: m.customerId } });
    expect(row.birthMonth).toBe(1);
    const fine = await call(birthday, postBirthday(String(other.customerId), { month: 3, day: 3 }));
    expect(fine.status).toBe(200);
    // Reads have their own budget.
    expect((await call(member, signed("member", String(m.customerId)))).status).toBe(200);
  });

  it("counts signed-out shoppers by address", async () => {
    await memberWithPoints(0);
    const from = (ip: string) => {
      const request = signed("program", "");
      request.headers.set("x-forwarded-for", `${ip}, 10.0.0.1`);
      return request;
    };
    for (let i = 0; i < PROXY_LIMITS.read.limit; i++) await call(program, from("203.0.113.7"));

    expect((await call(program, from("203.0.113.7"))).status).toBe(429);
    expect((await call(program, from("203.0.113.8"))).status).toBe(200);
  });
});

describe("the program metafield", () => {
  it("is queued with every save and publishes the rules the Liquid block computes with", async () => {
    const m = await memberWithPoints(0);
    // Publishes waiting to run for this shop. Setting up the member saved a program too, and a
    // publish is a per-shop singleton (one per 2 s slot), so those are dropped first: what is left
    // after the save can only have been queued by it.
    await prisma.$executeRaw`
      DELETE FROM pgboss.job WHERE name = 'storefront.publish' AND singleton_key = ${m.shopId}`;
    await goldProgram(m.shopId);
    const [waiting] = await prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pgboss.job
      WHERE name = 'storefront.publish' AND singleton_key = ${m.shopId} AND state = 'created'`;
    expect(Number(waiting?.n)).toBe(1);

    const result = await publishStorefrontProgram(m.shopId, async () => adminCallFor(m.api).admin);

    expect(result.published).toBe(true);
    const stored = m.store.adminApi.metafieldsOf(`gid://shopify/Shop/${m.store.shop.id}`);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ key: "program", type: "json" });
    expect(stored[0]?.namespace).toMatch(/^app--.+--loyalty$/);
    const summary = JSON.parse(stored[0]?.value ?? "{}") as ProgramSummary;
    expect(summary).toMatchObject({
      pointsPerUnitHundredths: 200,
      rounding: "nearest",
      divisor: 10_000,
    });
    expect(pointsForPrice(summary, 1999)).toBe(40);
  });

  it("publishes nothing for an uninstalled shop", async () => {
    const m = await memberWithPoints(0);
    await prisma.shop.update({ where: { id: m.shopId }, data: { uninstalledAt: new Date() } });
    const result = await publishStorefrontProgram(m.shopId, async () => adminCallFor(m.api).admin);
    expect(result.published).toBe(false);
    expect(m.store.adminApi.metafieldsOf(`gid://shopify/Shop/${m.store.shop.id}`)).toEqual([]);
  });
});
