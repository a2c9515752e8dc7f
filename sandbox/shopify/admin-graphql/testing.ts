/**
 * A ready-made store + handler + manual clock for tests of code that talks to the Admin API.
 * `gql` posts a document the way @shopify/shopify-api does (JSON body, X-Shopify-Access-Token).
 */
import { SandboxStore } from "../store";
import type { AdminGraphqlHandlerOptions } from "./handler";
import { ADMIN_GRAPHQL_PATH, createAdminGraphqlHandler } from "./handler";

export const TEST_ACCESS_TOKEN = "shpat_stand_in_test_token";

/** The scopes in shopify.app.toml at the time of writing; tests pass their own when it matters. */
export const APP_SCOPES = [
  "read_customers",
  "write_customers",
  "read_orders",
  "read_products",
  "read_discounts",
  "write_discounts",
  "read_store_credit_accounts",
  "read_store_credit_account_transactions",
  "write_store_credit_account_transactions",
  "write_gift_cards",
  "read_gift_cards",
  "write_pixels",
  "read_customer_events",
];

export interface GraphqlReply {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] | string;
    extensions?: {
      cost: {
        requestedQueryCost: number;
        actualQueryCost: number | null;
        throttleStatus: {
          maximumAvailable: number;
          currentlyAvailable: number;
          restoreRate: number;
        };
      };
    };
  };
}

export function createTestAdminApi(overrides: Partial<AdminGraphqlHandlerOptions> = {}) {
  let now = Date.parse("2026-11-01T12:00:00Z");
  const store =
    overrides.store ??
    new SandboxStore({
      id: 1,
      name: "Sandbox Store",
      domain: "sandbox-store.myshopify.com",
      email: "owner@sandbox-store.test",
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
      countryCode: "US",
      plan: "Shopify",
    });
  const handler = createAdminGraphqlHandler({
    store,
    accessTokens: () => new Set([TEST_ACCESS_TOKEN]),
    grantedScopes: APP_SCOPES,
    clock: () => now,
    ...overrides,
  });
  async function gql(
    query: string,
    variables: Record<string, unknown> = {},
    init: { token?: string | null; path?: string } = {},
  ): Promise<GraphqlReply> {
    const token = init.token === undefined ? TEST_ACCESS_TOKEN : init.token;
    const response = await handler(
      new Request(`https://${store.shop.domain}${init.path ?? ADMIN_GRAPHQL_PATH}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { "x-shopify-access-token": token } : {}),
        },
        body: JSON.stringify({ query, variables }),
      }),
    );
    return { status: response.status, body: (await response.json()) as GraphqlReply["body"] };
  }
  return {
    store,
    handler,
    gql,
    /** `fetch` that answers the shop's host from this stand-in (bulk result URLs, in-process). */
    fetch: standInFetch(handler, store.shop.domain),
    advance: (ms: number) => {
      now += ms;
    },
    now: () => new Date(now),
  };
}

/**
 * A `fetch` that sends requests for `host` (the shop's domain, which a bulk operation's `url`
 * points at when the stand-in is called in-process) to `handler`, and every other request to
 * `fallback`. Tests give it to code that downloads bulk results, e.g.
 * `vi.stubGlobal("fetch", standInFetch(handler, TEST_SHOP))`.
 */
export function standInFetch(
  handler: (request: Request) => Promise<Response>,
  host: string,
  fallback: typeof fetch = globalThis.fetch,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).hostname !== host) return fallback(request);
    return handler(request);
  };
}
