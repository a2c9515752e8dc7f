import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import * as birthdayRoute from "~/routes/proxy.birthday";
import * as memberRoute from "~/routes/proxy.member";
import * as catalogRoute from "~/routes/webhooks.catalog";
import * as complianceRoute from "~/routes/webhooks.compliance";
import * as customersRoute from "~/routes/webhooks.customers";
import * as ordersRoute from "~/routes/webhooks.orders";
import { createAppServer } from "../../../server/app-server";
import { callProxy, proxyPost, proxyRequest } from "../../support/proxy";
import { catalog, FIVE_OFF, memberWithPoints } from "../../support/rewards";
import { TEST_SHOP } from "../../support/webhooks";

/**
 * The storefront's App Proxy routes over real HTTP through `createAppServer` (ADR 0076): their
 * GETs and POSTs are answered by the route's loader or action from express itself, before
 * compression, static files and Remix's router, with the same answers as the route gives.
 */
const ROUTES = {
  "routes/webhooks.orders": { path: "webhooks/orders", module: ordersRoute },
  "routes/webhooks.customers": { path: "webhooks/customers", module: customersRoute },
  "routes/webhooks.catalog": { path: "webhooks/catalog", module: catalogRoute },
  "routes/webhooks.compliance": { path: "webhooks/compliance", module: complianceRoute },
  "routes/proxy.member": { path: "proxy/member", module: memberRoute },
  "routes/proxy.birthday": { path: "proxy/birthday", module: birthdayRoute },
};

// Only the route manifest is read for the direct routes; a request that reached Remix would fail
// on this build, so an answer proves the route was served from express.
const build = { routes: ROUTES, assets: { routes: {} }, entry: { module: {} } };

let server: Server;
let base: string;

beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const listening = createAppServer(build as unknown as ServerBuild).listen(0, "127.0.0.1", () =>
      resolve(listening),
    );
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  await prisma.session.upsert({
    where: { id: `offline_${TEST_SHOP}` },
    create: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "", accessToken: "shpat_x" },
    update: {},
  });
});

/** The same signed request, sent over HTTP to the running server. */
async function overHttp(request: Request) {
  const url = new URL(request.url);
  const body = request.method === "GET" ? undefined : await request.text();
  return fetch(`${base}${url.pathname}${url.search}`, {
    method: request.method,
    headers: request.headers,
    body,
  });
}

describe("storefront routes over HTTP", () => {
  it("answers the widget's GET with the route's own answer, uncompressed and never cached", async () => {
    const m = await memberWithPoints(800);
    await catalog(m.shopId, FIVE_OFF);

    const response = await overHttp(
      proxyRequest("member", m.customerId, { headers: { "accept-encoding": "gzip" } }),
    );
    const direct = await callProxy(memberRoute.loader, proxyRequest("member", m.customerId));

    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.json()).toEqual(direct.body);
    expect(direct.body).toMatchObject({ member: { pointsBalance: 800 } });
  });

  it("passes a POST's body to the route's action", async () => {
    const m = await memberWithPoints(0);

    const response = await overHttp(proxyPost("birthday", m.customerId, { month: 7, day: 14 }));

    expect(response.status).toBe(200);
    const row = await prisma.member.findFirstOrThrow({ where: { customerId: m.customerId } });
    expect({ month: row.birthMonth, day: row.birthDay }).toEqual({ month: 7, day: 14 });
  });

  it("answers a forged signature as the route does, and counts nothing", async () => {
    const m = await memberWithPoints(0);
    const signed = new URL(proxyRequest("member", m.customerId).url);
    signed.searchParams.set("logged_in_customer_id", "1");
    const counters = await prisma.proxyRateCounter.count();

    const response = await overHttp(new Request(signed));

    expect(response.status).toBe(400);
    expect(await prisma.proxyRateCounter.count()).toBe(counters);
  });
});
