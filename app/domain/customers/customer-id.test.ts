import { describe, expect, it } from "vitest";
import { parseCustomerId } from "./customer-id";

describe("parseCustomerId", () => {
  it("reads the number and the GID alike", () => {
    expect(parseCustomerId("7012345678")).toBe(7012345678n);
    expect(parseCustomerId("gid://shopify/Customer/7012345678")).toBe(7012345678n);
    expect(parseCustomerId(" 42 ")).toBe(42n);
  });

  it("refuses what no customer id can be", () => {
    for (const value of [
      null,
      undefined,
      "",
      "0",
      "-5",
      "12a",
      "gid://shopify/Order/1",
      "9223372036854775808",
      "12345678901234567890",
    ]) {
      expect(parseCustomerId(value)).toBeNull();
    }
    expect(parseCustomerId("9223372036854775807")).toBe(9_223_372_036_854_775_807n);
  });
});
