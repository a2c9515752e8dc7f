import { describe, expect, it } from "vitest";
import { createTestAdminApi } from "./testing";

type Payload = { userErrors: { field: string[] | null; message: string; code?: string }[] };

function payload<T = Payload>(data: Record<string, unknown> | null | undefined, field: string) {
  return (data ?? {})[field] as T & Payload;
}

const CREATE_DISCOUNT = `#graphql
  mutation($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode {
        id
        codeDiscount {
          __typename
          ... on DiscountCodeBasic {
            title status
            codes(first: 1) { nodes { code } }
            customerGets { value { ... on DiscountPercentage { percentage } } }
          }
        }
      }
      userErrors { field message code }
    }
  }`;

const basic = (code: string, percentage = 0.1) => ({
  code,
  title: `Reward ${code}`,
  context: { all: "ALL" },
  customerGets: { value: { percentage }, items: { all: true } },
});

describe("discount codes", () => {
  it("creates a basic code and rejects the same code again, in any case", async () => {
    const api = createTestAdminApi();
    const first = payload(
      (await api.gql(CREATE_DISCOUNT, { input: basic("SAVE10") })).body.data,
      "discountCodeBasicCreate",
    );
    expect(first.userErrors).toEqual([]);
    expect(first).toMatchObject({
      codeDiscountNode: {
        codeDiscount: {
          __typename: "DiscountCodeBasic",
          title: "Reward SAVE10",
          status: "ACTIVE",
          codes: { nodes: [{ code: "SAVE10" }] },
          customerGets: { value: { percentage: 0.1 } },
        },
      },
    });
    const again = payload(
      (await api.gql(CREATE_DISCOUNT, { input: basic("save10") })).body.data,
      "discountCodeBasicCreate",
    );
    expect(again).toEqual({
      codeDiscountNode: null,
      userErrors: [
        {
          field: ["basicCodeDiscount", "code"],
          message: "Code must be unique. Please try a different code.",
          code: "TAKEN",
        },
      ],
    });
    expect(api.store.adminApi.discountCodes.size).toBe(1);
  });

  it("rejects a percentage outside 0..1 (1.0 is 100 %, not 1 %)", async () => {
    const api = createTestAdminApi();
    const reply = await api.gql(CREATE_DISCOUNT, { input: basic("TOO-MUCH", 10) });
    const result = payload(reply.body.data, "discountCodeBasicCreate");
    expect(result.userErrors[0]).toMatchObject({
      field: ["basicCodeDiscount", "customerGets", "value", "percentage"],
      code: "VALUE_OUTSIDE_RANGE",
    });
    expect(api.store.adminApi.discountCodes.size).toBe(0);
  });

  it("limits a code to one customer, then deactivates and deletes it", async () => {
    const api = createTestAdminApi();
    const customer = api.store.addCustomer({ email: "vip@example.com" });
    const input = {
      ...basic("VIP-ONLY"),
      context: { customers: { add: [`gid://shopify/Customer/${customer.id}`] } },
      usageLimit: 1,
    };
    const created = payload<{ codeDiscountNode: { id: string } }>(
      (await api.gql(CREATE_DISCOUNT, { input })).body.data,
      "discountCodeBasicCreate",
    );
    const record = api.store.adminApi.discountByCode("VIP-ONLY");
    expect(record).toMatchObject({ customers: [customer.id], usageLimit: 1 });

    const deactivate = await api.gql(
      `mutation($id: ID!) { discountCodeDeactivate(id: $id) {
         codeDiscountNode { codeDiscount { ... on DiscountCodeBasic { status } } } userErrors { message } } }`,
      { id: created.codeDiscountNode.id },
    );
    expect(deactivate.body.data).toEqual({
      discountCodeDeactivate: {
        codeDiscountNode: { codeDiscount: { status: "EXPIRED" } },
        userErrors: [],
      },
    });
    const del = `mutation($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { message } } }`;
    const deleted = await api.gql(del, { id: created.codeDiscountNode.id });
    expect(deleted.body.data).toEqual({
      discountCodeDelete: { deletedCodeDiscountId: created.codeDiscountNode.id, userErrors: [] },
    });
    const twice = await api.gql(del, { id: created.codeDiscountNode.id });
    expect(payload(twice.body.data, "discountCodeDelete").userErrors).toHaveLength(1);
  });

  it("creates a free shipping code", async () => {
    const api = createTestAdminApi();
    const reply = await api.gql(
      `mutation($input: DiscountCodeFreeShippingInput!) {
         discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) {
           codeDiscountNode { codeDiscount { __typename ... on DiscountCodeFreeShipping { maximumShippingPrice { amount } } } }
           userErrors { message } } }`,
      {
        input: {
          code: "SHIPFREE",
          title: "Free shipping",
          context: { all: "ALL" },
          destination: { all: true },
          maximumShippingPrice: "15.00",
        },
      },
    );
    expect(reply.body.data).toEqual({
      discountCodeFreeShippingCreate: {
        codeDiscountNode: {
          codeDiscount: {
            __typename: "DiscountCodeFreeShipping",
            maximumShippingPrice: { amount: "15.0" },
          },
        },
        userErrors: [],
      },
    });
  });
});

describe("store credit", () => {
  const CREDIT = `mutation($id: ID!, $amount: Decimal!, $expiresAt: DateTime) {
    storeCreditAccountCredit(id: $id, creditInput: {
      creditAmount: { amount: $amount, currencyCode: USD }, expiresAt: $expiresAt }) {
      storeCreditAccountTransaction { amount { amount } balanceAfterTransaction { amount } }
      userErrors { field message code } } }`;
  const DEBIT = `mutation($id: ID!, $amount: Decimal!) {
    storeCreditAccountDebit(id: $id, debitInput: { debitAmount: { amount: $amount, currencyCode: USD } }) {
      storeCreditAccountTransaction { balanceAfterTransaction { amount } }
      userErrors { field message code } } }`;

  it("credits a customer, debits within the balance and refuses beyond it", async () => {
    const api = createTestAdminApi();
    const id = `gid://shopify/Customer/${api.store.addCustomer({ email: "c@example.com" }).id}`;
    const credit = await api.gql(CREDIT, { id, amount: "10.00" });
    expect(payload(credit.body.data, "storeCreditAccountCredit")).toEqual({
      storeCreditAccountTransaction: {
        amount: { amount: "10.0" },
        balanceAfterTransaction: { amount: "10.0" },
      },
      userErrors: [],
    });
    const debit = await api.gql(DEBIT, { id, amount: "4.50" });
    expect(payload(debit.body.data, "storeCreditAccountDebit")).toEqual({
      storeCreditAccountTransaction: { balanceAfterTransaction: { amount: "5.5" } },
      userErrors: [],
    });
    const tooMuch = await api.gql(DEBIT, { id, amount: "5.51" });
    expect(payload(tooMuch.body.data, "storeCreditAccountDebit")).toEqual({
      storeCreditAccountTransaction: null,
      userErrors: [
        {
          field: ["debitInput", "debitAmount", "amount"],
          message:
            "The store credit account does not have sufficient funds to satisfy the request.",
          code: "INSUFFICIENT_FUNDS",
        },
      ],
    });
    const [account] = api.store.adminApi.storeCreditAccounts.values();
    expect(account && api.store.adminApi.storeCreditBalance(account, api.now())).toBe(550);
  });

  it("does not count expired credit and refuses an expiry in the past", async () => {
    const api = createTestAdminApi();
    const id = `gid://shopify/Customer/${api.store.addCustomer({ email: "e@example.com" }).id}`;
    const inOneHour = new Date(api.now().getTime() + 3_600_000).toISOString();
    await api.gql(CREDIT, { id, amount: "3", expiresAt: inOneHour });
    api.advance(2 * 3_600_000);
    const debit = await api.gql(DEBIT, { id, amount: "1" });
    expect(payload(debit.body.data, "storeCreditAccountDebit").userErrors[0]?.code).toBe(
      "INSUFFICIENT_FUNDS",
    );
    const past = await api.gql(CREDIT, { id, amount: "1", expiresAt: inOneHour });
    expect(payload(past.body.data, "storeCreditAccountCredit").userErrors[0]?.code).toBe(
      "EXPIRES_AT_IN_PAST",
    );
  });

  it("refuses a debit for a customer without an account, and a zero credit", async () => {
    const api = createTestAdminApi();
    const id = `gid://shopify/Customer/${api.store.addCustomer({ email: "n@example.com" }).id}`;
    const debit = await api.gql(DEBIT, { id, amount: "1" });
    expect(payload(debit.body.data, "storeCreditAccountDebit").userErrors[0]?.code).toBe(
      "ACCOUNT_NOT_FOUND",
    );
    const zero = await api.gql(CREDIT, { id, amount: "0" });
    expect(payload(zero.body.data, "storeCreditAccountCredit").userErrors[0]?.code).toBe(
      "NEGATIVE_OR_ZERO_AMOUNT",
    );
    expect(api.store.adminApi.storeCreditAccounts.size).toBe(0);
  });
});
