import { afterEach, describe, expect, it } from "vitest";
import { serve } from "../../http";
import { startShopifyStandIn } from "../server";
import { webhookHmac } from "../signing";
import { jsonlLines, RUN_BULK_QUERY } from "./bulk/testing";
import { APP_SCOPES } from "./testing";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const APP = { apiKey: "bulk-http-key", apiSecret: "bulk-http-secret" };

describe("bulk operations in the sandbox, over HTTP", () => {
  it("finish on their own, tell the subscribed app, and stream the result over HTTP", async () => {
    // GIVEN an app subscribed to bulk_operations/finish and a store with orders
    const finished: Record<string, unknown>[] = [];
    let notify: () => void = () => undefined;
    const delivered = new Promise<void>((resolve) => (notify = resolve));
    const app = await serve(async (request) => {
      const body = await request.text();
      const signed =
        request.headers.get("x-shopify-hmac-sha256") === webhookHmac(body, APP.apiSecret);
      if (signed && request.headers.get("x-shopify-topic") === "bulk_operations/finish") {
        finished.push(JSON.parse(body) as Record<string, unknown>);
        notify();
      }
      return new Response(null, { status: 200 });
    });
    cleanups.push(app.close);
    const shopify = await startShopifyStandIn({
      appUrl: app.url,
      ...APP,
      bulkCompleteAfterMs: 50,
      config: {
        scopes: APP_SCOPES,
        apiVersion: "2026-10",
        subscriptions: [{ topics: ["bulk_operations/finish"], uri: "/webhooks/bulk" }],
        appProxy: undefined,
      },
    });
    cleanups.push(shopify.close);
    const customer = shopify.store.addCustomer({ email: "http@example.com" });
    for (let i = 0; i < 300; i++) {
      shopify.store.addPaidOrder(customer, [{ title: "Mug", price: "5.00", quantity: 1 }]);
    }
    const exchange = await fetch(`${shopify.url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_id: APP.apiKey,
        client_secret: APP.apiSecret,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: await shopify.tokens.sessionToken(),
      }),
    });
    const { access_token: token } = (await exchange.json()) as { access_token: string };

    // WHEN the app starts an export through the Admin API
    const graphql = (query: string, variables: Record<string, unknown>) =>
      fetch(`${shopify.url}/admin/api/2026-10/graphql.json`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": token },
        body: JSON.stringify({ query, variables }),
      }).then((r) => r.json() as Promise<{ data: Record<string, Record<string, unknown>> }>);
    const run = await graphql(RUN_BULK_QUERY, {
      query: "{ orders { edges { node { id name } } } }",
      groupObjects: false,
    });
    const id = (run.data.bulkOperationRunQuery!.bulkOperation as { id: string }).id;

    // THEN the operation finishes by itself, the app hears of it, and the file streams over HTTP
    await delivered;
    expect(finished).toEqual([
      expect.objectContaining({ admin_graphql_api_id: id, status: "completed" }),
    ]);
    const read = await graphql(
      `
        query ($id: ID!) {
          node(id: $id) {
            ... on BulkOperation {
              status
              url
              objectCount
            }
          }
        }
      `,
      { id },
    );
    const operation = read.data.node as { status: string; url: string; objectCount: string };
    expect(operation).toMatchObject({ status: "COMPLETED", objectCount: "300" });
    expect(operation.url.startsWith(`${shopify.url}/`)).toBe(true);
    let lines = 0;
    for await (const line of jsonlLines(await fetch(operation.url))) {
      expect(line.id).toMatch(/^gid:\/\/shopify\/Order\//);
      lines += 1;
    }
    expect(lines).toBe(300);
  });
});
