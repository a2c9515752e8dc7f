import fs from "node:fs";
import { serve } from "../http";
import { createStorefront } from "../storefront/server";
import { BULK_RESULT_PATH } from "./admin-graphql/bulk/files";
import { sendBulkFinishWebhooks } from "./admin-graphql/bulk/finish-webhook";
import { createAdminGraphqlHandler } from "./admin-graphql/handler";
import { createAdminFrame } from "./admin-frame";
import { readAppConfig, type AppConfig } from "./app-config";
import { loadFlowTriggerSpecs } from "./flow-trigger-specs";
import { performStoreAction, StoreActionError } from "./store-actions";
import { SandboxStore, type SandboxShop } from "./store";
import { TokenAuthority } from "./tokens";
import { WebhookSender } from "./webhook-sender";

export interface ShopifyStandInOptions {
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  port?: number;
  shop?: Partial<SandboxShop>;
  config?: AppConfig;
  /** How long a bulk operation takes before it finishes (default 1 s); null: only when asked. */
  bulkCompleteAfterMs?: number | null;
}

const PUBLIC = new URL("./public/", import.meta.url);

/**
 * A Shopify store on loopback: Admin GraphQL (validated against the real 2026-10 schema, with cost
 * and throttling), token exchange, App Bridge's stand-in script, signed webhooks to the app, and a
 * simulated-store page for people. Production code reaches it only through URLs and fetch.
 */
export async function startShopifyStandIn(options: ShopifyStandInOptions) {
  const config = options.config ?? readAppConfig();
  const store = new SandboxStore({
    id: 1,
    name: "Sandbox Outfitters",
    domain: "sandbox-loyalty.myshopify.com",
    email: "owner@sandbox-loyalty.example",
    currencyCode: "USD",
    ianaTimezone: "America/New_York",
    countryCode: "US",
    plan: "Shopify",
    ...options.shop,
  });
  const tokens = new TokenAuthority(
    { apiKey: options.apiKey, apiSecret: options.apiSecret, scopes: config.scopes },
    store.shop.domain,
  );
  const webhooks = new WebhookSender({
    appUrl: options.appUrl,
    shop: store.shop.domain,
    secret: options.apiSecret,
    config,
  });
  const graphql = createAdminGraphqlHandler({
    store,
    accessTokens: tokens.isValidAccessToken,
    grantedScopes: config.scopes,
    appClientId: options.apiKey,
    flowTriggers: loadFlowTriggerSpecs(),
  });
  const graphqlPath = `/admin/api/${config.apiVersion}/graphql.json`;
  // Bulk operations finish on their own here, and tell the app if shopify.app.toml subscribes
  // to bulk_operations/finish.
  store.adminApi.bulk.completeAutomatically(
    options.bulkCompleteAfterMs === undefined ? 1000 : options.bulkCompleteAfterMs,
  );
  sendBulkFinishWebhooks(store.adminApi.bulk, webhooks, config);
  const storefront = createStorefront({
    store,
    webhooks,
    appUrl: options.appUrl,
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
  });

  const adminFrame = createAdminFrame({
    shop: store.shop,
    tokens,
    appUrl: options.appUrl,
    apiKey: options.apiKey,
  });

  const server = await serve(async (request) => {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === graphqlPath) return graphql(request);
    if (url.pathname.startsWith(BULK_RESULT_PATH)) return graphql(request);
    if (request.method === "POST" && url.pathname === "/admin/oauth/access_token")
      return tokens.handle(request);
    if (url.pathname === "/__sandbox/session-token") {
      return Response.json(
        { token: await tokens.sessionToken(), expires_in: 60 },
        { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" } },
      );
    }
    if (url.pathname === "/cdn/app-bridge.js") return file("app-bridge.js", "text/javascript");
    // What admin's resource picker lists (App Bridge's stand-in asks here).
    if (url.pathname === "/__sandbox/resources") {
      const type = url.searchParams.get("type");
      const records = type === "collection" ? store.collections : store.products;
      const kind = type === "collection" ? "Collection" : "Product";
      return Response.json(
        {
          items: [...records.values()].map((record) => ({
            id: `gid://shopify/${kind}/${record.id}`,
            title: record.title,
          })),
        },
        { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" } },
      );
    }
    // "/" is the storefront's home (a referral link opens it); the store simulator is at /store.
    if (url.pathname === "/store") return file("store.html", "text/html");
    if (url.pathname === "/store/api/state") {
      return Response.json({
        shop: store.shop,
        customers: [...store.customers.values()].map((customer) => ({
          ...customer,
          email_marketing: store.emailMarketingConsent.get(customer.id) ?? "not_subscribed",
        })),
        orders: [...store.orders.values()].reverse(),
        collections: [...store.collections.values()],
        webhooks: webhooks.log,
      });
    }
    if (request.method === "POST" && url.pathname === "/store/api/actions") {
      try {
        return Response.json({
          sent: await performStoreAction(store, webhooks, await request.json()),
        });
      } catch (error) {
        if (error instanceof StoreActionError)
          return Response.json({ error: error.message }, { status: 422 });
        throw error;
      }
    }
    const framed = await adminFrame(request);
    if (framed) return framed;
    const page = await storefront(request);
    if (page) return page;
    return new Response("Not Found", { status: 404 });
  }, options.port ?? 0);

  return {
    ...server,
    close: async () => {
      store.adminApi.bulk.dispose();
      await server.close();
    },
    store,
    tokens,
    webhooks,
    config,
  };
}

function file(name: string, type: string) {
  return new Response(fs.readFileSync(new URL(name, PUBLIC)), {
    headers: { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "no-cache" },
  });
}
