import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import prisma from "~/db.server";
import type { AdminCall } from "~/integrations/shopify/rewards.server";
import { adjustPoints } from "~/services/ledger/adjust.server";
import { saveReward } from "~/services/rewards/catalog.server";
import { ADMIN_GRAPHQL_PATH } from "../../sandbox/shopify/admin-graphql/handler";
import { createTestAdminApi, TEST_ACCESS_TOKEN } from "../../sandbox/shopify/admin-graphql/testing";
import type { SandboxStore } from "../../sandbox/shopify/store";
import { deliver, newStore } from "./deliveries";
import { TEST_SHOP } from "./webhooks";

/** The app's Admin API client, answered in-process by the Shopify stand-in (HTTP status kept). */
export function adminCallFor(
  api: ReturnType<typeof createTestAdminApi>,
  timeoutMs = 250,
): AdminCall {
  return {
    timeoutMs,
    admin: {
      graphql: (query, options) =>
        api.handler(
          new Request(`https://${api.store.shop.domain}${ADMIN_GRAPHQL_PATH}`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-shopify-access-token": TEST_ACCESS_TOKEN,
            },
            body: JSON.stringify({ query, variables: options?.variables ?? {} }),
          }),
        ),
    },
  };
}

/** A store with one member holding `points`, and the Admin API stand-in for that store. */
export async function memberWithPoints(points: number, store: SandboxStore = newStore()) {
  const customer = store.addCustomer({ email: `reward${store.newId()}@example.com` });
  await deliver("customers/create", customer);
  const shop = await prisma.shop.findFirstOrThrow();
  if (points > 0) {
    await adjustPoints({
      shopId: shop.id,
      customerId: BigInt(customer.id),
      points,
      note: null,
      source: "manual",
      idempotencyKey: `seed:${customer.id}`,
    });
  }
  // A generous bucket: these tests are about redemption, not Shopify's rate limits.
  const api = createTestAdminApi({
    store,
    bucket: { maxAvailable: 1_000_000, restoreRate: 100_000 },
  });
  return { shopId: shop.id, customerId: BigInt(customer.id), customer, store, api };
}

export const FIVE_OFF = {
  type: "fixed_amount",
  handle: "five-off",
  name: "$5 off",
  pointsCost: 500,
  amountMinor: 500,
  codeExpiryDays: 30,
} as const;

export async function catalog(shopId: string, ...rewards: Record<string, unknown>[]) {
  return Promise.all(rewards.map((reward) => saveReward(shopId, reward)));
}

/**
 * Points the app's own Admin API client (shopify-api, from the offline session) at the stand-in
 * of `store()`, in-process, through shopify-api's fetch hook as the sandbox does. Also stores the
 * offline session with `token`.
 */
export async function routeAdminApiToStandIn(
  store: () => SandboxStore | null,
  token: string,
  options: { session?: "create" | "existing" } = {},
) {
  if (options.session !== "existing") {
    await prisma.session.create({
      data: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "", accessToken: token },
    });
  }
  const nativeFetch = globalThis.fetch;
  setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const target = store();
    if (new URL(request.url).hostname !== TEST_SHOP || !target) return nativeFetch(request);
    return createTestAdminApi({ store: target, accessTokens: () => new Set([token]) }).handler(
      request,
    );
  });
}
