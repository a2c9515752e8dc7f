import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader } from "~/routes/proxy._index";
import { signAppProxyQuery } from "../../../sandbox/shopify/signing";
import { API_SECRET, APP_URL, TEST_SHOP } from "../../support/webhooks";

function proxyRequest(params: Record<string, string>, secret = API_SECRET) {
  const signed = { ...params, signature: signAppProxyQuery(params, secret) };
  return new Request(`${APP_URL}/proxy?${new URLSearchParams(signed)}`);
}

async function call(request: Request) {
  try {
    return await loader({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const now = () => String(Math.floor(Date.now() / 1000));

describe("app proxy", () => {
  it("answers a correctly signed request and reads the signed-in customer", async () => {
    await prisma.session.create({
      data: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "", accessToken: "shpat_x" },
    });

    const response = await call(
      proxyRequest({
        shop: TEST_SHOP,
        logged_in_customer_id: "7001",
        path_prefix: "/apps/loyalty",
        timestamp: now(),
      }),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ installed: true, signedIn: true });
  });

  it("refuses a forged customer id (signature no longer matches)", async () => {
    const params = {
      shop: TEST_SHOP,
      logged_in_customer_id: "",
      path_prefix: "/apps/loyalty",
      timestamp: now(),
    };
    const signed = {
      ...params,
      signature: signAppProxyQuery(params, API_SECRET),
      logged_in_customer_id: "1",
    };

    const response = await call(new Request(`${APP_URL}/proxy?${new URLSearchParams(signed)}`));

    expect(response.status).toBe(400);
  });

  it("refuses a replayed request older than 90 seconds", async () => {
    const stale = String(Math.floor(Date.now() / 1000) - 600);

    const response = await call(
      proxyRequest({
        shop: TEST_SHOP,
        logged_in_customer_id: "",
        path_prefix: "/apps/loyalty",
        timestamp: stale,
      }),
    );

    expect(response.status).toBe(400);
  });
});
