import { describe, expect, it } from "vitest";
import { createTestAdminApi } from "./testing";

const FLOW = `mutation($handle: String!, $payload: JSON!) {
  flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`;

describe("flowTriggerReceive", () => {
  it("records the trigger call on the store", async () => {
    const api = createTestAdminApi();
    const payload = { "Customer ID": 123, "Points balance": 450, "Tier name": "Gold" };
    const reply = await api.gql(FLOW, { handle: "loyalty-tier-changed", payload });
    expect(reply.body.data).toEqual({ flowTriggerReceive: { userErrors: [] } });
    expect(api.store.adminApi.flowTriggers).toEqual([
      { handle: "loyalty-tier-changed", payload, receivedAt: api.now() },
    ]);
  });

  it("refuses a payload that is not an object or is over 50 KB, recording nothing", async () => {
    const api = createTestAdminApi();
    const notObject = await api.gql(FLOW, { handle: "h", payload: [1, 2] });
    expect(notObject.body.data).toEqual({
      flowTriggerReceive: { userErrors: [{ field: ["payload"], message: expect.any(String) }] },
    });
    const big = await api.gql(FLOW, { handle: "h", payload: { blob: "x".repeat(50_001) } });
    expect(big.body.data).toEqual({
      flowTriggerReceive: {
        userErrors: [{ field: ["payload"], message: expect.stringMatching(/50 KB/) }],
      },
    });
    expect(api.store.adminApi.flowTriggers).toHaveLength(0);
  });
});

describe("giftCardCreate", () => {
  const CREATE = `mutation($input: GiftCardCreateInput!) {
    giftCardCreate(input: $input) {
      giftCard { balance { amount currencyCode } lastCharacters customer { id } }
      giftCardCode
      userErrors { field code } } }`;

  it("issues a card for a customer and refuses the same code in another case", async () => {
    const api = createTestAdminApi();
    const customer = api.store.addCustomer({ email: "g@example.com" });
    const input = {
      code: "LOYALTY2026AB",
      initialAmount: { amount: "25.00", currencyCode: "USD" },
      customerId: `gid://shopify/Customer/${customer.id}`,
    };
    const reply = await api.gql(CREATE, { input });
    expect(reply.body.data).toEqual({
      giftCardCreate: {
        giftCard: {
          balance: { amount: "25.0", currencyCode: "USD" },
          lastCharacters: "26AB",
          customer: { id: `gid://shopify/Customer/${customer.id}` },
        },
        giftCardCode: "LOYALTY2026AB",
        userErrors: [],
      },
    });
    const again = await api.gql(CREATE, { input: { ...input, code: "loyalty2026ab" } });
    expect(again.body.data).toMatchObject({
      giftCardCreate: { giftCard: null, userErrors: [{ field: ["input", "code"], code: "TAKEN" }] },
    });
  });

  it("generates a 16-character code when none is given", async () => {
    const api = createTestAdminApi();
    const reply = await api.gql(CREATE, {
      input: { initialAmount: { amount: "5", currencyCode: "USD" } },
    });
    const created = (reply.body.data?.giftCardCreate ?? {}) as { giftCardCode?: string };
    expect(created.giftCardCode).toMatch(/^[a-z0-9]{16}$/);
  });
});

describe("metafieldsSet", () => {
  const SET = `mutation($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { namespace key value compareDigest }
      userErrors { field message code elementIndex } } }`;

  it("stores values per owner, in the app namespace when none is given", async () => {
    const api = createTestAdminApi({ appClientId: "abc123" });
    const customer = api.store.addCustomer({ email: "m@example.com" });
    const ownerId = `gid://shopify/Customer/${customer.id}`;
    const reply = await api.gql(SET, {
      metafields: [{ ownerId, key: "points", type: "number_integer", value: "450" }],
    });
    expect(reply.body.data).toMatchObject({
      metafieldsSet: {
        metafields: [{ namespace: "app--abc123", key: "points", value: "450" }],
        userErrors: [],
      },
    });
    const read = await api.gql(
      `query($id: ID!) { customer(id: $id) { metafield(namespace: "$app", key: "points") { value } } }`,
      {
        id: ownerId,
      },
    );
    expect(read.body.data).toEqual({ customer: { metafield: { value: "450" } } });
  });

  it("is all or nothing, and checks values against the type", async () => {
    const api = createTestAdminApi();
    const ownerId = `gid://shopify/Customer/${api.store.addCustomer({ email: "x@example.com" }).id}`;
    const reply = await api.gql(SET, {
      metafields: [
        {
          ownerId,
          namespace: "loyalty",
          key: "tier",
          type: "single_line_text_field",
          value: "Gold",
        },
        { ownerId, namespace: "loyalty", key: "points", type: "number_integer", value: "lots" },
      ],
    });
    expect(reply.body.data).toEqual({
      metafieldsSet: {
        metafields: null,
        userErrors: [
          {
            field: ["metafields", "1", "value"],
            message: expect.any(String),
            code: "INVALID_VALUE",
            elementIndex: 1,
          },
        ],
      },
    });
    expect(api.store.adminApi.metafieldsOf(ownerId)).toEqual([]);
  });

  it("expands $app:feature to app--<client id>--feature on the shop, and refuses bad namespaces", async () => {
    const api = createTestAdminApi({ appClientId: "abc123" });
    const ownerId = `gid://shopify/Shop/${api.store.shop.id}`;
    const program = JSON.stringify({ v: 1, pointsPerUnitHundredths: 100 });
    const ok = await api.gql(SET, {
      metafields: [
        { ownerId, namespace: "$app:loyalty", key: "program", type: "json", value: program },
      ],
    });
    expect(ok.body.data).toMatchObject({
      metafieldsSet: {
        metafields: [{ namespace: "app--abc123--loyalty", key: "program", value: program }],
        userErrors: [],
      },
    });
    const bad = await api.gql(SET, {
      metafields: [
        { ownerId, namespace: "app--other--loyalty", key: "program", type: "json", value: "{}" },
        { ownerId, namespace: "$app:loyalty", key: "program", type: "json", value: "{nope" },
        {
          ownerId: "gid://shopify/Shop/999",
          namespace: "ab",
          key: "program",
          type: "json",
          value: "{}",
        },
      ],
    });
    const errors = (
      bad.body.data as { metafieldsSet: { userErrors: { field: string[]; code: string }[] } }
    ).metafieldsSet.userErrors;
    expect(errors.map((e) => [e.field.join("."), e.code])).toEqual([
      ["metafields.0.namespace", "APP_NOT_AUTHORIZED"],
      ["metafields.1.value", "INVALID_VALUE"],
      ["metafields.2.ownerId", "INVALID"],
      ["metafields.2.namespace", "TOO_SHORT"],
    ]);
    const stored = api.store.adminApi.metafieldsOf(ownerId);
    expect(stored.map((m) => m.value)).toEqual([program]);
  });

  it("refuses more than 25 metafields in one call", async () => {
    const api = createTestAdminApi();
    const ownerId = `gid://shopify/Customer/${api.store.addCustomer({ email: "y@example.com" }).id}`;
    const metafields = Array.from({ length: 26 }, (_, i) => ({
      ownerId,
      namespace: "loyalty",
      key: `k${i}`,
      type: "boolean",
      value: "true",
    }));
    const reply = await api.gql(SET, { metafields });
    expect(reply.body.data).toMatchObject({
      metafieldsSet: {
        metafields: null,
        userErrors: [{ field: ["metafields"], code: "LESS_THAN_OR_EQUAL_TO" }],
      },
    });
    expect(api.store.adminApi.metafieldsOf(ownerId)).toEqual([]);
  });

  it("supports compare-and-set with compareDigest", async () => {
    const api = createTestAdminApi();
    const ownerId = `gid://shopify/Customer/${api.store.addCustomer({ email: "z@example.com" }).id}`;
    const field = { ownerId, namespace: "loyalty", key: "points", type: "number_integer" };
    const created = await api.gql(SET, {
      metafields: [{ ...field, value: "1", compareDigest: null }],
    });
    const [first] = (
      created.body.data?.metafieldsSet as { metafields: { compareDigest: string }[] }
    ).metafields;
    const stale = await api.gql(SET, {
      metafields: [{ ...field, value: "2", compareDigest: "nope" }],
    });
    expect(stale.body.data).toMatchObject({
      metafieldsSet: { userErrors: [{ code: "STALE_OBJECT" }] },
    });
    const fresh = await api.gql(SET, {
      metafields: [{ ...field, value: "3", compareDigest: first?.compareDigest }],
    });
    expect(fresh.body.data).toMatchObject({
      metafieldsSet: { metafields: [{ value: "3" }], userErrors: [] },
    });
    const createOnly = await api.gql(SET, {
      metafields: [{ ...field, value: "4", compareDigest: null }],
    });
    expect(createOnly.body.data).toMatchObject({
      metafieldsSet: { userErrors: [{ code: "STALE_OBJECT" }] },
    });
  });
});
