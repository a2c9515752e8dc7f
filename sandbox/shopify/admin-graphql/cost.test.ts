import { getOperationAST, Kind, parse } from "graphql";
import type { FragmentDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { actualQueryCost, requestedQueryCost } from "./cost";
import { loadAdminSchema } from "./schema";

function costInput(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error("no operation");
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  }
  return { schema: loadAdminSchema().schema, operation, fragments, variables };
}

const requested = (query: string, variables?: Record<string, unknown>) =>
  requestedQueryCost(costInput(query, variables));

// Rules: https://shopify.dev/docs/api/usage/limits#cost-calculation
describe("requestedQueryCost", () => {
  it("charges 1 per object and nothing for scalars and enums", () => {
    expect(requested("{ shop { name currencyCode } }")).toBe(1);
    expect(requested("{ shop { name plan { displayName } } }")).toBe(2);
  });

  it("charges a connection 2 plus first × the cost of one item, edges or nodes alike", () => {
    expect(requested("{ customers(first: 10) { edges { cursor node { id } } } }")).toBe(12);
    expect(requested("{ customers(first: 10) { nodes { id } pageInfo { hasNextPage } } }")).toBe(
      12,
    );
    expect(requested("{ customers(last: 5) { nodes { id amountSpent { amount } } } }")).toBe(12);
  });

  it("multiplies nested connections and reads first from variables", () => {
    const query = `query($n: Int!) { customers(first: $n) { nodes { id
      orders(first: 5) { nodes { id totalPriceSet { shopMoney { amount } } } } } } }`;
    // 2 + 10 × (1 customer + (2 + 5 × (1 order + 1 bag + 1 money)))
    expect(requested(query, { n: 10 })).toBe(2 + 10 * (1 + 2 + 5 * 3));
  });

  it("charges a union its most expensive member and follows fragments and @skip", () => {
    const query = `query($skip: Boolean!) { codeDiscountNodeByCode(code: "A") { id
      codeDiscount { ...Basic ... on DiscountCodeFreeShipping { title } } }
      shop @skip(if: $skip) { name } }
      fragment Basic on DiscountCodeBasic { customerGets { value { ... on DiscountAmount { amount { amount } } } } }`;
    // node 1 + codeDiscount 1 + max(basic: customerGets 1 + value 1 + amount 1, free shipping: 0)
    expect(requested(query, { skip: true })).toBe(5);
    expect(requested(query, { skip: false })).toBe(6);
  });

  it("charges 10 per top-level mutation field whatever it selects", () => {
    const query = `mutation { a: flowTriggerReceive(handle: "h", payload: {}) { userErrors { message } }
      b: flowTriggerReceive(handle: "h", payload: {}) { userErrors { message } } }`;
    expect(requested(query)).toBe(20);
  });
});

describe("actualQueryCost", () => {
  it("charges only the items returned", () => {
    const input = costInput("{ customers(first: 50) { edges { node { id } } } }");
    const data = { customers: { edges: [{ node: { id: "a" } }, { node: { id: "b" } }] } };
    expect(actualQueryCost(input, data)).toBe(4);
    expect(actualQueryCost(input, { customers: { edges: [] } })).toBe(2);
  });

  it("does not charge an object that came back null", () => {
    const input = costInput(`{ shop { name } customer(id: "gid://shopify/Customer/1") { id } }`);
    expect(actualQueryCost(input, { shop: { name: "S" }, customer: null })).toBe(1);
  });
});
