import { describe, expect, it } from "vitest";
import { parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://loyalty.example.com",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

describe("parseEnv", () => {
  it("accepts a complete environment and fills defaults", () => {
    const env = parseEnv(valid);
    expect(env.LOG_LEVEL).toBe("info");
    expect(env.PORT).toBe(3000);
  });

  it("names every missing or malformed variable, never its value", () => {
    const attempt = () =>
      parseEnv({ ...valid, SHOPIFY_API_SECRET: undefined, ENCRYPTION_KEY: "c2hvcnQ=", PORT: "x" });
    expect(attempt).toThrow(/SHOPIFY_API_SECRET/);
    expect(attempt).toThrow(/ENCRYPTION_KEY: must be 32 bytes/);
    expect(attempt).toThrow(/PORT/);
    expect(attempt).not.toThrow(/c2hvcnQ=/);
  });
});
