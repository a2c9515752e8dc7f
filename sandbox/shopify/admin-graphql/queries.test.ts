import { describe, expect, it } from "vitest";
import { createTestAdminApi } from "./testing";

describe("queries", () => {
  it("reads the shop", async () => {
    const reply = await createTestAdminApi().gql(
      "{ shop { id name email myshopifyDomain currencyCode ianaTimezone plan { displayName } } }",
    );
    expect(reply.body.data).toEqual({
      shop: {
        id: "gid://shopify/Shop/1",
        name: "Sandbox Store",
        email: "owner@sandbox-store.test",
        myshopifyDomain: "sandbox-store.myshopify.com",
        currencyCode: "USD",
        ianaTimezone: "America/New_York",
        plan: { displayName: "Shopify" },
      },
    });
  });

  it("pages through customers with cursors and filters by search syntax", async () => {
    const api = createTestAdminApi();
    const customers = ["a", "b", "c", "d", "e"].map((n) =>
      api.store.addCustomer({
        email: `${n}@example.com`,
        first_name: n.toUpperCase(),
        tags: n === "c" ? "vip" : "",
      }),
    );
    const PAGE = `query($after: String) { customers(first: 2, after: $after) {
      edges { cursor node { id email } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const reply = await api.gql(PAGE, { after });
      const connection = reply.body.data?.customers as {
        edges: { node: { email: string } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
      };
      seen.push(...connection.edges.map((e) => e.node.email));
      expect(connection.pageInfo.hasPreviousPage).toBe(page > 0);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(customers.map((c) => c.email));

    const search = await api.gql(`{ customers(first: 10, query: "tag:vip") { nodes { email } } }`);
    expect(search.body.data).toEqual({ customers: { nodes: [{ email: "c@example.com" }] } });
    const byEmail = await api.gql(
      `{ customers(first: 10, query: "email:e@example.com") { nodes { firstName } } }`,
    );
    expect(byEmail.body.data).toEqual({ customers: { nodes: [{ firstName: "E" }] } });
  });

  it("reads an order with its customer, money and line items", async () => {
    const api = createTestAdminApi();
    const customer = api.store.addCustomer({ email: "o@example.com" });
    const order = api.store.addPaidOrder(
      customer,
      [{ title: "Mug", price: "12.50", quantity: 2 }],
      {
        shipping: "5.00",
      },
    );
    const reply = await api.gql(
      `query($id: ID!) { order(id: $id) { id name displayFinancialStatus
        totalPriceSet { shopMoney { amount currencyCode } }
        customer { email numberOfOrders }
        lineItems(first: 5) { nodes { title quantity originalUnitPriceSet { shopMoney { amount } } } } } }`,
      { id: order.admin_graphql_api_id },
    );
    expect(reply.body.errors).toBeUndefined();
    expect(reply.body.data).toEqual({
      order: {
        id: order.admin_graphql_api_id,
        name: order.name,
        displayFinancialStatus: "PAID",
        totalPriceSet: { shopMoney: { amount: "30.0", currencyCode: "USD" } },
        customer: { email: "o@example.com", numberOfOrders: "1" },
        lineItems: {
          nodes: [
            { title: "Mug", quantity: 2, originalUnitPriceSet: { shopMoney: { amount: "12.5" } } },
          ],
        },
      },
    });
  });

  it("returns null for a well-formed id of something that does not exist", async () => {
    const reply = await createTestAdminApi().gql(`{ order(id: "gid://shopify/Order/999") { id } }`);
    expect(reply.body).toMatchObject({ data: { order: null } });
    expect(reply.body.errors).toBeUndefined();
  });
});

describe("products and collections", () => {
  it("answers nodes(ids:) with each product's collections, null for an unknown id, and pages on", async () => {
    const api = createTestAdminApi();
    const wrap = api.store.product("Gift wrap");
    const vase = api.store.product("Vase");
    const collections = ["A", "B", "C"].map((title) => api.store.addCollection(title));
    for (const c of collections) api.store.addProductToCollection(wrap.id, c.id);
    const reply = await api.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { id
        collections(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } } } }`,
      {
        ids: [
          `gid://shopify/Product/${wrap.id}`,
          `gid://shopify/Product/${vase.id}`,
          "gid://shopify/Product/1",
        ],
      },
    );
    const nodes = reply.body.data?.nodes as {
      id: string;
      collections: {
        nodes: { id: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }[];
    expect(nodes[0]?.collections.nodes.map((c) => c.id)).toEqual(
      collections.slice(0, 2).map((c) => `gid://shopify/Collection/${c.id}`),
    );
    expect(nodes[0]?.collections.pageInfo.hasNextPage).toBe(true);
    expect(nodes[1]).toEqual({
      id: `gid://shopify/Product/${vase.id}`,
      collections: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
    });
    expect(nodes[2]).toBeNull();
    expect(reply.body.extensions?.cost.requestedQueryCost).toBeGreaterThan(0);

    const more = await api.gql(
      `query($id: ID!, $after: String!) { product(id: $id) { collections(first: 2, after: $after) { nodes { title } } } }`,
      { id: `gid://shopify/Product/${wrap.id}`, after: nodes[0]!.collections.pageInfo.endCursor },
    );
    expect(more.body.data).toEqual({ product: { collections: { nodes: [{ title: "C" }] } } });
  });

  it("refuses more than 250 ids, as Shopify does", async () => {
    const api = createTestAdminApi();
    const ids = Array.from({ length: 251 }, (_, i) => `gid://shopify/Product/${i + 1}`);
    const reply = await api.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(reply.body.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: "MAX_INPUT_SIZE_EXCEEDED" }),
      }),
    ]);
  });
});
