import { describe, expect, it } from "vitest";
import { createTestAdminApi } from "./testing";

const CREATE = `#graphql
  mutation Create($input: CustomerInput!) {
    customerCreate(input: $input) {
      customer { id email firstName state }
      userErrors { field message }
    }
  }`;

describe("customerCreate", () => {
  it("creates a customer without an activated account, findable by email", async () => {
    const api = createTestAdminApi();

    const reply = await api.gql(CREATE, {
      input: { email: "lin@example.com", firstName: "Lin", tags: ["referred"] },
    });

    const created = (reply.body.data as { customerCreate: { customer: { id: string } } })
      .customerCreate;
    expect(created).toEqual({
      customer: {
        id: expect.stringMatching(/^gid:\/\/shopify\/Customer\/\d+$/),
        email: "lin@example.com",
        firstName: "Lin",
        state: "DISABLED",
      },
      userErrors: [],
    });
    const found = await api.gql(
      `{ customers(first: 1, query: "email:lin@example.com") { nodes { id } } }`,
    );
    expect(found.body.data).toEqual({ customers: { nodes: [{ id: created.customer.id }] } });
  });

  it("refuses a taken email (any case), an invalid one, and nothing at all", async () => {
    const api = createTestAdminApi();
    api.store.addCustomer({ email: "Taken@Example.com" });

    const taken = await api.gql(CREATE, { input: { email: "taken@example.com" } });
    const invalid = await api.gql(CREATE, { input: { email: "not an email" } });
    const empty = await api.gql(CREATE, { input: {} });

    const errors = (r: typeof taken) =>
      (r.body.data as { customerCreate: { userErrors: unknown[] } }).customerCreate.userErrors;
    expect(errors(taken)).toEqual([{ field: ["email"], message: "Email has already been taken" }]);
    expect(errors(invalid)).toEqual([{ field: ["email"], message: "Email is invalid" }]);
    expect(errors(empty)).toEqual([
      { field: null, message: "A name, phone number, or email address must be present" },
    ]);
    expect(api.store.customers.size).toBe(1);
  });
});
