import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { accountConfigSource, applicationUrl } from "../../scripts/account-config";

// The customer account extensions call the app at the URL generated from shopify.app.toml; a
// stale file would send every customer's requests to an old address.
describe("customer account extensions' app URL", () => {
  it("is shopify.app.toml's application_url (run npm run extensions:generate)", () => {
    const toml = readFileSync("shopify.app.toml", "utf8");
    const generated = readFileSync("storefront/account/app-url.generated.ts", "utf8");
    expect(generated).toBe(accountConfigSource(applicationUrl(toml)));
  });

  it("reads the top-level key, not a same-named key of a section", () => {
    const toml = 'name = "x"\napplication_url = "https://app.example.com/"\n[auth]\napplication_url = "https://other.example"\n';
    expect(applicationUrl(toml)).toBe("https://app.example.com");
    expect(() => applicationUrl("[auth]\n")).toThrow(/no application_url/);
  });
});
