import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import * as catalogRoute from "~/routes/webhooks.catalog";
import * as complianceRoute from "~/routes/webhooks.compliance";
import * as customersRoute from "~/routes/webhooks.customers";
import * as ordersRoute from "~/routes/webhooks.orders";
import { createAppServer } from "../../../server/app-server";
import { webhookHmac } from "../../../sandbox/shopify/signing";
import { API_SECRET, webhook } from "../../support/webhooks";

/**
 * The queued webhook routes over real HTTP through `createAppServer` (ADR 0047): their POSTs are
 * answered by the route's action from express itself, before compression, static files and
 * Remix's router, with the same answers as through Remix.
 */
const ROUTES = {
  "routes/webhooks.orders": { path: "webhooks/orders", module: ordersRoute },
  "routes/webhooks.customers": { path: "webhooks/customers", module: customersRoute },
  "routes/webhooks.catalog": { path: "webhooks/catalog", module: catalogRoute },
  "routes/webhooks.compliance": { path: "webhooks/compliance", module: complianceRoute },
};

function fakeBuild(routes: Record<string, unknown>) {
  // Only the route manifest is read for the webhook routes; anything else goes to Remix.
  return { routes, assets: { routes: {} }, entry: { module: {} } } as unknown as ServerBuild;
}

const order = {
  id: 7_100_000_000_001,
  name: "#7001",
  total_price: "12.00",
  customer: { id: 7_200_000_000_001 },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const listening = createAppServer(fakeBuild(ROUTES)).listen(0, "127.0.0.1", () =>
      resolve(listening),
    );
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Sends a signed webhook Request's method, headers and body to the running server. */
async function send(request: Request, path = new URL(request.url).pathname) {
  return fetch(`${base}${path}`, {
    method: request.method,
    headers: request.headers,
    body: await request.text(),
  });
}

describe("queued webhook routes over HTTP", () => {
  it("stores a signed orders/paid once, however often it is delivered", async () => {
    const request = () =>
      webhook("/webhooks/orders", "orders/paid", order, { webhookId: "wh-http-1" });

    const first = await send(request());
    const again = await send(request());

    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    const rows = await prisma.webhookDelivery.findMany({ where: { webhookId: "wh-http-1" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.topic).toBe("ORDERS_PAID");
    expect(rows[0]!.customerId).toBe(7_200_000_000_001n);
    expect(rows[0]!.payload).toMatchObject({ name: "#7001", total_price: "12.00" });
  });

  it("answers 401 to a wrong HMAC and stores nothing", async () => {
    const response = await send(
      webhook("/webhooks/orders", "orders/paid", order, {
        webhookId: "wh-http-forged",
        secret: "not-the-app-secret",
      }),
    );

    expect(response.status).toBe(401);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-http-forged" } })).toBe(0);
  });

  it("answers 422 to a topic sent to another route's address and stores nothing", async () => {
    const response = await send(
      webhook("/webhooks/customers", "orders/paid", order, { webhookId: "wh-http-misrouted" }),
    );

    expect(response.status).toBe(422);
    expect(await response.text()).toContain("ORDERS_PAID");
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-http-misrouted" } })).toBe(
      0,
    );
  });

  it("answers 400 to a signed body that is not JSON", async () => {
    const signed = webhook("/webhooks/orders", "orders/paid", order, {
      webhookId: "wh-http-text",
    });
    const headers = new Headers(signed.headers);
    headers.set("X-Shopify-Hmac-Sha256", webhookHmac("not json", API_SECRET));

    const response = await fetch(`${base}/webhooks/orders`, {
      method: "POST",
      headers,
      body: "not json",
    });

    expect(response.status).toBe(400);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "wh-http-text" } })).toBe(0);
  });

  it("refuses to start when a queued webhook route is missing", () => {
    const { "routes/webhooks.catalog": _missing, ...others } = ROUTES;

    expect(() => createAppServer(fakeBuild(others))).toThrow(/routes\/webhooks\.catalog/);
  });
});
