/**
 * Theme Check (Shopify's linter for themes and theme app extensions) over extensions/loyalty-theme,
 * with the theme-app-extension config it picks for a folder holding a *.extension.toml: app block
 * schema and tags, the 10,000-byte JavaScript and 100 KB CSS budgets, translations present in every
 * locale, valid JSON and Liquid. Zero offenses, whatever their severity.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const EXTENSION = path.resolve("extensions/loyalty-theme");

describe("theme app extension", () => {
  it("passes Theme Check with zero offenses", async () => {
    // Theme Check fetches the newest Liquid docs from GitHub and falls back to the copy bundled in
    // @shopify/theme-check-docs-updater. Pointing its docs root at a folder that does not exist makes
    // the fetch a failed file read, so the run is offline, quick and the same on every machine.
    process.env.SHOPIFY_TLD_ROOT = path.resolve("node_modules/.theme-check-offline-docs");
    const { themeCheckRun } = await import("@shopify/theme-check-node");
    const run = await themeCheckRun(EXTENSION, undefined, () => undefined);

    const checks = run.config.checks.map((check) => check.meta.code);
    expect(checks).toEqual(
      expect.arrayContaining([
        "AppBlockValidTags",
        "AssetSizeAppBlockJavaScript",
        "AssetSizeAppBlockCSS",
        "ValidSchema",
      ]),
    );
    const offenses = run.offenses.map(
      (o) => `${path.relative(EXTENSION, new URL(o.uri).pathname)}: ${o.check}: ${o.message}`,
    );
    expect(offenses).toEqual([]);
  }, 60_000);

  it("keeps the widget script (as built by npm run build:widget) within Theme Check's budget", () => {
    const bytes = fs.statSync(path.join(EXTENSION, "assets/loyalty-widget.js")).size;
    expect(bytes).toBeLessThanOrEqual(10_000);
  });

  it("has the same translation keys in every locale", () => {
    const keys = (file: string) => {
      const walk = (value: unknown, prefix: string): string[] =>
        value && typeof value === "object"
          ? Object.entries(value).flatMap(([k, v]) => walk(v, `${prefix}${k}.`))
          : [prefix.slice(0, -1)];
      return walk(JSON.parse(fs.readFileSync(path.join(EXTENSION, "locales", file), "utf8")), "")
        .sort();
    };
    expect(keys("fr.json")).toEqual(keys("en.default.json"));
    expect(keys("fr.schema.json")).toEqual(keys("en.default.schema.json"));
  });
});
