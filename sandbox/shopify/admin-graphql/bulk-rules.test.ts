import { describe, expect, it } from "vitest";
import { runBulkQuery } from "./bulk/testing";
import { createTestAdminApi } from "./testing";

const edges = (fields: string) => `{ edges { node { ${fields} } } }`;

/** The userErrors `bulkOperationRunQuery` answers for `query`; no operation may be created. */
async function refusal(query: string) {
  const api = createTestAdminApi();
  const payload = await runBulkQuery(api.gql, query);
  expect(payload.bulkOperation).toBeNull();
  expect(api.store.adminApi.bulk.operations.size).toBe(0);
  return payload.userErrors;
}

const invalid = (message: string | RegExp) => ({
  field: ["query"],
  message: typeof message === "string" ? message : expect.stringMatching(message),
  code: "INVALID",
});

describe("bulkOperationRunQuery refuses what Shopify refuses", () => {
  it("a query without a connection", async () => {
    expect(await refusal("{ shop { name } }")).toEqual([
      invalid("Bulk queries must contain at least one connection."),
    ]);
  });

  it("more than five connections", async () => {
    const five = ["a", "b", "c", "d", "e"].map((alias) => `${alias}: orders ${edges("id")}`);
    expect(await refusal(`{ customers ${edges(`id ${five.join(" ")}`)} }`)).toEqual([
      invalid("Bulk queries cannot contain more than 5 connections."),
    ]);
  });

  it("connections nested more than two levels", async () => {
    const variants = `variants ${edges(`id metafields ${edges("id")}`)}`;
    const query = `{ collections ${edges(`id products ${edges(`id ${variants}`)}`)} }`;
    expect(await refusal(query)).toEqual([
      invalid("Bulk queries cannot contain connections with a nesting depth greater than 2."),
    ]);
  });

  it("items selected through `nodes`", async () => {
    expect(await refusal("{ customers { nodes { id } } }")).toEqual([
      invalid(
        "All connection fields in a bulk query must select their contents using 'edges' > 'node', " +
          "e.g: 'customers { edges { node {'. Selecting via 'nodes' is not supported. " +
          "Invalid connection fields: 'customers'.",
      ),
    ]);
  });

  it("the top-level node and nodes fields", async () => {
    expect(await refusal('{ node(id: "gid://shopify/Customer/1") { id } }')).toEqual([
      invalid("Bulk queries cannot contain a top level `node` field."),
      invalid("Bulk queries must contain at least one connection."),
    ]);
    const nodes = `{ nodes(ids: ["gid://shopify/Customer/1"]) { ... on Customer { orders ${edges("id")} } } }`;
    expect(await refusal(nodes)).toContainEqual(invalid(/top level `nodes` field/));
  });

  it("a nested connection whose parent node does not select its id", async () => {
    expect(await refusal(`{ customers ${edges(`email orders ${edges("id")}`)} }`)).toEqual([
      invalid(
        "The parent 'node' field for a nested connection must select the 'id' field without an " +
          "alias and must be of 'ID' return type. Connection fields without 'id': customers.",
      ),
    ]);
    expect(await refusal(`{ customers ${edges(`key: id orders ${edges("id")}`)} }`)).toHaveLength(
      1,
    );
  });

  it("a connection inside a list", async () => {
    const query = `{ orders ${edges(`id refunds { id refundLineItems ${edges("id")} }`)} }`;
    expect(await refusal(query)).toEqual([
      invalid(
        "Queries that contain a connection field within a list field are not currently supported.",
      ),
    ]);
  });

  it("a connection whose nodes are not Nodes", async () => {
    expect(await refusal(`{ orders ${edges(`id shippingLines ${edges("title")}`)} }`)).toEqual([
      invalid(/implement the Node interface.*'shippingLines'/),
    ]);
  });

  it("anything but a valid query", async () => {
    expect(
      await refusal(
        `mutation { customerDelete(input: { id: "gid://shopify/Customer/1" }) { deletedCustomerId } }`,
      ),
    ).toEqual([invalid("Invalid operation type. Only `query` operations are supported.")]);
    expect(await refusal("{ customers { edges { node { id }")).toEqual([
      invalid(/^Invalid bulk query: Syntax Error/),
    ]);
    expect(await refusal(`{ customers ${edges("id favouriteColour")} }`)).toEqual([
      invalid(/^Invalid bulk query: Cannot query field "favouriteColour" on type "Customer"/),
    ]);
    expect(await refusal(`query($q: String!) { customers(query: $q) ${edges("id")} }`)).toEqual([
      invalid(/^Invalid bulk query: Variable "\$q" of required type "String!" was not provided/),
    ]);
  });

  it("accepts a query at the limits, and fragments count like fields", async () => {
    const api = createTestAdminApi();
    const query = `
      fragment Line on LineItem { id quantity }
      { customers ${edges(`id storeCreditAccounts ${edges("id")} orders ${edges(`id lineItems ${edges("...Line")} a: lineItems ${edges("id")}`)}`)} }`;
    const payload = await runBulkQuery(api.gql, query);
    expect(payload.userErrors).toEqual([]);
    expect(payload.bulkOperation?.status).toBe("CREATED");
  });

  it("says so when the stand-in cannot run a query Shopify would accept", async () => {
    const api = createTestAdminApi();
    const reply = await api.gql(
      `mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") {
        bulkOperation { id } userErrors { message } } }`,
    );
    expect(reply.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: "STAND_IN_NOT_IMPLEMENTED" } }),
    ]);
  });
});
