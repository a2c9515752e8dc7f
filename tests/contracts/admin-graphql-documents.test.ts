/**
 * Contract: every Admin GraphQL document in app/ is valid for the API version in shopify.app.toml,
 * and the scopes in shopify.app.toml cover every field and type it touches. Shopify would answer
 * an invalid document or a missing scope at runtime, in production; this finds it in CI.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION, contractUrl, loadAdminSchema } from "../../sandbox/shopify/admin-graphql/index";
import {
  checkDocument,
  countGraphqlMarkers,
  describeMissing,
  extractGraphqlDocuments,
  findGraphqlDocuments,
  parseAppToml,
  readAppToml,
} from "./graphql-documents";

const toml = readAppToml();
const found = findGraphqlDocuments();

describe("shopify.app.toml", () => {
  it("names the API version the committed contract is for", () => {
    expect(toml.apiVersion).toBe(ADMIN_API_VERSION);
    expect(existsSync(contractUrl(toml.apiVersion ?? "missing"))).toBe(true);
  });

  it("grants scopes", () => {
    expect(toml.scopes.length).toBeGreaterThan(0);
    expect(toml.scopes.every((s) => /^(unauthenticated_)?(read|write)_[a-z_]+$/.test(s))).toBe(true);
  });
});

describe("GraphQL documents in app/", () => {
  it("contains no document that interpolates ${...}", () => {
    expect(found.problems.map((p) => `${p.where}: ${p.message}`)).toEqual([]);
  });

  it("extracts every #graphql literal the source contains", () => {
    // A plain text count guards against the extractor silently missing documents.
    const extracted =
      found.documents.filter((d) => d.marked).length + found.problems.filter((p) => p.marked).length;
    expect(extracted).toBe(countGraphqlMarkers());
  });

  for (const document of found.documents) {
    const name = /^\s*#graphql\s*(query|mutation)\s+(\w+)/.exec(document.source)?.[2] ?? "document";
    it(`${name} at ${document.where} is valid and covered by the app's scopes`, () => {
      const check = checkDocument(loadAdminSchema(toml.apiVersion ?? ADMIN_API_VERSION), document.source, toml.scopes);
      expect(check.errors.map((e) => e.message)).toEqual([]);
      expect(describeMissing(check.missing)).toEqual([]);
    });
  }
});

// These run whether or not app/ has documents yet, so the checker is proven to catch problems.
describe("the document checker", () => {
  const admin = loadAdminSchema(ADMIN_API_VERSION);
  const CREATE_DISCOUNT = `#graphql
    mutation CreateReward($input: DiscountCodeBasicInput!) {
      discountCodeBasicCreate(basicCodeDiscount: $input) { codeDiscountNode { id } userErrors { message } }
    }`;

  it("rejects a field the schema does not have", () => {
    const check = checkDocument(admin, "query { shop { notAField } }", toml.scopes);
    expect(check.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('Cannot query field "notAField" on type "Shop".'),
        extensions: { code: "undefinedField" },
      }),
    ]);
  });

  it("knows discountCodeBasicCreate needs write_discounts, and that read_discounts is not enough", () => {
    expect(checkDocument(admin, CREATE_DISCOUNT, ["write_discounts"]).missing).toEqual([]);
    const check = checkDocument(admin, CREATE_DISCOUNT, ["read_discounts", "read_customers"]);
    expect(check.missing.map((m) => m.coordinate)).toEqual(["Mutation.discountCodeBasicCreate"]);
    expect(check.missing[0]?.rule.anyOf).toEqual(["write_discounts"]);
  });

  it("counts the scope of returned types and fragment types, with write_x covering read_x", () => {
    const query = `#graphql
      query Customer($id: ID!) { customer(id: $id) { email } }`;
    expect(describeMissing(checkDocument(admin, query, ["read_orders"]).missing)).toEqual([
      "Customer (via customer): `read_customers` access scope.",
    ]);
    expect(checkDocument(admin, query, ["write_customers"]).missing).toEqual([]);

    // StoreCreditAccount needs read_store_credit_accounts, which the transaction scopes don't grant.
    const credit = `#graphql
      mutation Credit($id: ID!, $input: StoreCreditAccountCreditInput!) {
        storeCreditAccountCredit(id: $id, creditInput: $input) {
          storeCreditAccountTransaction { account { balance { amount } } }
        }
      }`;
    const scopes = ["write_store_credit_account_transactions"];
    expect(checkDocument(admin, credit, scopes).missing.map((m) => m.coordinate)).toEqual([
      "StoreCreditAccount",
    ]);
  });

  it("finds marked and tagged documents and refuses interpolated ones", () => {
    const source = [
      "const a = `#graphql query A { shop { name } }`;",
      "const b = gql`query B { shop { id } }`;",
      "// a comment with a ` backtick",
      "const c = `#graphql query C { customer(id: \"${id}\") { id } }`;",
      "const d = `not graphql`;",
    ].join("\n");
    const extraction = extractGraphqlDocuments(source, "app/example.ts");
    expect(extraction.documents.map((d) => [d.where, d.marked])).toEqual([
      ["app/example.ts:1", true],
      ["app/example.ts:2", false],
    ]);
    expect(extraction.problems.map((p) => p.where)).toEqual(["app/example.ts:4"]);
  });

  it("reads scopes and api_version from their TOML sections only", () => {
    const parsed = parseAppToml(
      [
        'scopes = "not_this"',
        "[access_scopes]",
        'scopes = "read_customers, write_discounts"',
        "[webhooks]",
        'api_version = "2026-10"',
        "[[webhooks.subscriptions]]",
        'api_version = "1999-01"',
      ].join("\n"),
    );
    expect(parsed).toEqual({ scopes: ["read_customers", "write_discounts"], apiVersion: "2026-10" });
  });
});
