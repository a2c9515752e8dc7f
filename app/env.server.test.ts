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

  it("takes a Klaviyo OAuth client only as an id with its secret", () => {
    expect(() => parseEnv({ ...valid, KLAVIYO_CLIENT_ID: "abc" })).toThrow(/KLAVIYO_CLIENT_SECRET/);
    const env = parseEnv({ ...valid, KLAVIYO_CLIENT_ID: "abc", KLAVIYO_CLIENT_SECRET: "s3cret" });
    expect(env.KLAVIYO_AUTHORIZE_URL).toBe("https://www.klaviyo.com/oauth/authorize");
  });
});
