import { describe, expect, it } from "vitest";
import { APP_SCOPES, createTestAdminApi } from "./testing";

const CREATE_DISCOUNT = `#graphql
  mutation CreateDiscount($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const discountInput = (code: string) => ({
  code,
  title: `Reward ${code}`,
  context: { all: "ALL" },
  customerGets: { value: { percentage: 0.1 }, items: { all: true } },
});

describe("Admin GraphQL stand-in: HTTP contract", () => {
  it("rejects a request without or with an unknown access token with Shopify's 401", async () => {
    const api = createTestAdminApi();
    for (const token of [null, "shpat_unknown"]) {
      const reply = await api.gql("{ shop { name } }", {}, { token });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
  });

  it("accepts a token predicate as well as a token set", async () => {
    const api = createTestAdminApi({ accessTokens: (token) => token.startsWith("shpat_ok") });
    expect((await api.gql("{ shop { name } }", {}, { token: "shpat_ok_1" })).status).toBe(200);
    expect((await api.gql("{ shop { name } }", {}, { token: "shpat_no" })).status).toBe(401);
  });

  it("answers 404 for another API version and 400 for a body without a query", async () => {
    const api = createTestAdminApi();
    const other = await api.gql(
      "{ shop { name } }",
      {},
      { path: "/admin/api/2025-01/graphql.json" },
    );
    expect(other.status).toBe(404);
    const response = await api.handler(
      new Request("https://x.myshopify.com/admin/api/2026-10/graphql.json", {
        method: "POST",
        headers: { "x-shopify-access-token": "shpat_stand_in_test_token" },
        body: JSON.stringify({ variables: {} }),
      }),
    );
    expect(response.status).toBe(400);
  });

  it("answers an invalid document with 200, located errors with graphql-ruby codes, and no change", async () => {
    const api = createTestAdminApi();
    const reply = await api.gql(
      `mutation { discountCodeBasicCreate(basicCodeDiscount: { code: "X", notAnInput: 1 }) {
         userErrors { message } notAField } }`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.data).toBeUndefined();
    const errors = reply.body.errors as { extensions?: { code?: string }; locations?: unknown[] }[];
    const codes = errors.map((e) => e.extensions?.code);
    expect(codes).toContain("undefinedField");
    expect(codes).toContain("argumentLiteralsIncompatible");
    expect(errors.every((e) => Array.isArray(e.locations) && e.locations.length > 0)).toBe(true);
    expect(api.store.adminApi.discountCodes.size).toBe(0);
  });

  it("answers a syntax error with its location", async () => {
    const reply = await createTestAdminApi().gql("{ shop { name }");
    expect(reply.status).toBe(200);
    const [error] = reply.body.errors as { message: string; locations: unknown[] }[];
    expect(error?.message).toMatch(/Syntax Error/);
    expect(error?.locations).toHaveLength(1);
  });
});

describe("Admin GraphQL stand-in: access scopes", () => {
  it("denies a mutation whose scope is not granted, without running it", async () => {
    const api = createTestAdminApi({
      grantedScopes: APP_SCOPES.filter((s) => !s.endsWith("_discounts")),
    });
    const reply = await api.gql(CREATE_DISCOUNT, { input: discountInput("NOPE10") });
    expect(reply.body.data).toEqual({ discountCodeBasicCreate: null });
    expect(reply.body.errors).toEqual([
      expect.objectContaining({
        message:
          "Access denied for discountCodeBasicCreate field. Required access: Apps must have `write_discounts` access scope.",
        path: ["discountCodeBasicCreate"],
        extensions: expect.objectContaining({ code: "ACCESS_DENIED" }),
      }),
    ]);
    expect(api.store.adminApi.discountCodes.size).toBe(0);
  });

  it("denies a field by the scope of the type it returns, and lets write_x imply read_x", async () => {
    const api = createTestAdminApi({ grantedScopes: ["read_orders"] });
    const customer = api.store.addCustomer({ email: "a@example.com" });
    const query = `query($id: ID!) { shop { name } customer(id: $id) { email } }`;
    const denied = await api.gql(query, { id: `gid://shopify/Customer/${customer.id}` });
    expect(denied.body.data).toEqual({ shop: { name: "Sandbox Store" }, customer: null });
    expect(denied.body.errors?.[0]).toMatchObject({
      message: "Access denied for customer field. Required access: `read_customers` access scope.",
      extensions: { code: "ACCESS_DENIED", requiredAccess: "`read_customers` access scope." },
    });

    const writer = createTestAdminApi({ grantedScopes: ["write_customers"], store: api.store });
    const allowed = await writer.gql(query, { id: `gid://shopify/Customer/${customer.id}` });
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data?.customer).toEqual({ email: "a@example.com" });
  });

  it("checks the concrete type behind a union", async () => {
    // DiscountCodeNode needs read_discounts; write_discounts covers it, an unrelated scope doesn't.
    const api = createTestAdminApi();
    await api.gql(CREATE_DISCOUNT, { input: discountInput("UNION10") });
    const reader = createTestAdminApi({ store: api.store, grantedScopes: ["read_customers"] });
    const reply = await reader.gql(`{ codeDiscountNodeByCode(code: "UNION10") { id } }`);
    expect(reply.body.errors?.[0]).toMatchObject({ extensions: { code: "ACCESS_DENIED" } });
  });
});

describe("Admin GraphQL stand-in: cost and throttling", () => {
  const CUSTOMERS = `query($n: Int!) { customers(first: $n) { edges { node { id email } } } }`;

  it("reports requested and actual cost and the bucket on every executed request", async () => {
    const api = createTestAdminApi();
    api.store.addCustomer({ email: "one@example.com" });
    api.store.addCustomer({ email: "two@example.com" });
    const reply = await api.gql(CUSTOMERS, { n: 50 });
    // 2 for the connection + 50 customers × 1; only 2 came back.
    expect(reply.body.extensions?.cost).toEqual({
      requestedQueryCost: 52,
      actualQueryCost: 4,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1996, restoreRate: 100 },
    });
    const mutation = await api.gql(CREATE_DISCOUNT, { input: discountInput("COST10") });
    expect(mutation.body.extensions?.cost.requestedQueryCost).toBe(10);
  });

  it("drains the bucket to THROTTLED, then restores it at restoreRate per second", async () => {
    const api = createTestAdminApi({ bucket: { maxAvailable: 100, restoreRate: 10 } });
    // `first: 48` costs 2 + 48 = 50 points. The store holds 48 customers so the actual cost is the
    // same; with fewer, the unused points would be refunded and the bucket would not drain.
    for (let i = 0; i < 48; i++) api.store.addCustomer({ email: `c${i}@example.com` });
    expect(
      (await api.gql(CUSTOMERS, { n: 48 })).body.extensions?.cost.throttleStatus.currentlyAvailable,
    ).toBe(50);
    expect(
      (await api.gql(CUSTOMERS, { n: 48 })).body.extensions?.cost.throttleStatus.currentlyAvailable,
    ).toBe(0);
    const throttled = await api.gql(CUSTOMERS, { n: 48 });
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: {
            code: "THROTTLED",
            documentation: "https://shopify.dev/api/usage/rate-limits",
          },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 50,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 100, currentlyAvailable: 0, restoreRate: 10 },
        },
      },
    });
    api.advance(4_900);
    expect((await api.gql(CUSTOMERS, { n: 48 })).body.errors).toBeDefined();
    api.advance(100);
    const restored = await api.gql(CUSTOMERS, { n: 48 });
    expect(restored.body.errors).toBeUndefined();
    expect(restored.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(0);
  });

  it("keeps one bucket per access token", async () => {
    const api = createTestAdminApi({
      accessTokens: () => new Set(["shpat_a", "shpat_b"]),
      bucket: { maxAvailable: 60, restoreRate: 1 },
    });
    for (let i = 0; i < 50; i++) api.store.addCustomer({ email: `c${i}@example.com` });
    await api.gql(CUSTOMERS, { n: 50 }, { token: "shpat_a" });
    expect((await api.gql(CUSTOMERS, { n: 50 }, { token: "shpat_a" })).body.errors).toBeDefined();
    expect((await api.gql(CUSTOMERS, { n: 50 }, { token: "shpat_b" })).body.errors).toBeUndefined();
  });

  it("refuses a single query above the max cost before touching the bucket", async () => {
    const api = createTestAdminApi();
    const reply = await api.gql(CUSTOMERS, { n: 250 * 4 });
    expect(reply.body.errors?.[0]).toMatchObject({ extensions: { code: "MAX_COST_EXCEEDED" } });
    expect(reply.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(2000);
  });
});

describe("Admin GraphQL stand-in: execution", () => {
  it("errors clearly on a non-null field the stand-in does not implement", async () => {
    const reply = await createTestAdminApi().gql("{ shop { name setupRequired } }");
    expect(reply.body.data).toBeNull();
    expect(reply.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining("does not implement Shop.setupRequired"),
      extensions: { code: "STAND_IN_NOT_IMPLEMENTED" },
    });
  });

  it("requires first or last on connections, as Shopify does", async () => {
    const reply = await createTestAdminApi().gql("{ customers { nodes { id } } }");
    expect(reply.body.errors).toMatchObject([{ message: "you must provide one of first or last" }]);
  });

  it("answers an id that is not a global id with a coercion error", async () => {
    const reply = await createTestAdminApi().gql(`{ customer(id: "42") { id } }`);
    expect(reply.body.errors?.[0]).toMatchObject({ message: "Invalid global id '42'" });
  });
});
