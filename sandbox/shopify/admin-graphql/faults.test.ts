import { describe, expect, it } from "vitest";
import { createTestAdminApi } from "./testing";

const CREATE = `#graphql
  mutation Create($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const input = (code: string) => ({
  code,
  title: code,
  context: { all: "ALL" },
  customerGets: { value: { percentage: 0.1 }, items: { all: true } },
});

describe("fault injection", () => {
  it("answers userErrors once, then runs normally", async () => {
    const api = createTestAdminApi();
    api.store.adminApi.injectFault({ field: "discountCodeBasicCreate", kind: "userErrors" });

    const failed = await api.gql(CREATE, { input: input("F1") });
    const next = await api.gql(CREATE, { input: input("F2") });

    expect(failed.body.data).toEqual({
      discountCodeBasicCreate: {
        codeDiscountNode: null,
        userErrors: [{ field: null, message: expect.any(String), code: "INVALID" }],
      },
    });
    expect(api.store.adminApi.discountByCode("F1")).toBeUndefined();
    expect(api.store.adminApi.discountByCode("F2")).toBeDefined();
    expect(next.status).toBe(200);
  });

  it("throttles without running the mutation", async () => {
    const api = createTestAdminApi();
    api.store.adminApi.injectFault({ field: "discountCodeBasicCreate", kind: "throttled" });

    const reply = await api.gql(CREATE, { input: input("T1") });

    expect(reply.status).toBe(200);
    expect(reply.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "THROTTLED" }) }),
    ]);
    expect(api.store.adminApi.discountByCode("T1")).toBeUndefined();
  });

  it("HTTP 500 before or after running, as asked", async () => {
    const api = createTestAdminApi();
    api.store.adminApi.injectFault({ field: "discountCodeBasicCreate", kind: "http500" });
    api.store.adminApi.injectFault({
      field: "discountCodeBasicCreate",
      kind: "http500",
      applied: true,
    });

    const notRun = await api.gql(CREATE, { input: input("H1") });
    const run = await api.gql(CREATE, { input: input("H2") });

    expect([notRun.status, run.status]).toEqual([500, 500]);
    expect(api.store.adminApi.discountByCode("H1")).toBeUndefined();
    expect(api.store.adminApi.discountByCode("H2")).toBeDefined();
  });

  it("holds the answer back for a timeout (applied: the record exists meanwhile)", async () => {
    const api = createTestAdminApi();
    api.store.adminApi.injectFault({
      field: "discountCodeBasicCreate",
      kind: "timeout",
      applied: true,
      delayMs: 50,
    });
    const started = Date.now();

    const reply = await api.gql(CREATE, { input: input("S1") });

    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(reply.status).toBe(200);
    expect(api.store.adminApi.discountByCode("S1")).toBeDefined();
  });

  it("only matches requests that contain the field", async () => {
    const api = createTestAdminApi();
    api.store.adminApi.injectFault({ field: "giftCardCreate", kind: "http500", times: 2 });

    const reply = await api.gql(CREATE, { input: input("N1") });

    expect(reply.status).toBe(200);
    expect(api.store.adminApi.faults.take(["giftCardCreate"])).toBeDefined();
  });

  it("refuses a userErrors fault on a query (queries have no userErrors)", async () => {
    const api = createTestAdminApi();
    api.store.adminApi.injectFault({ field: "codeDiscountNodeByCode", kind: "userErrors" });

    await expect(
      api.gql(`query Q($code: String!) { codeDiscountNodeByCode(code: $code) { id } }`, {
        code: "X",
      }),
    ).rejects.toThrow(/apply to mutations/);
  });
});
