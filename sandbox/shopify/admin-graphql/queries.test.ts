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
