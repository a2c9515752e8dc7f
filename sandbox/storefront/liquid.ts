/**
 * Liquid as Shopify's storefront renders it, for the sandbox's local storefront (liquidjs plus the
 * Shopify additions the theme and the extension use). Faithful where it matters to the output:
 * integer `divided_by` floors like Ruby's, `t` looks keys up in the locale files with Shopify's
 * pluralization and `{{ var }}` interpolation and escapes the result (unless the key ends in
 * `_html`), `money` formats minor units with the shop's money format, `{% schema %}` renders
 * nothing, and `{% javascript %}`/`{% stylesheet %}` are refused in extension blocks as Shopify
 * refuses them at deploy (https://shopify.dev/docs/storefronts/themes/architecture/blocks/app-blocks).
 */
import fs from "node:fs";
import path from "node:path";
import { Liquid, type TagToken, type TopLevelToken } from "liquidjs";

export type Translations = Record<string, unknown>;

export interface LiquidOptions {
  /** Folder `{% render 'name' %}` reads `name.liquid` from. */
  snippets: string;
  /** Locale files: `<locale>.json` or `<locale>.default.json`. */
  locales: string;
  locale: string;
  assetUrl: (file: string) => string;
  /** Shopify's shop.money_format, e.g. "${{amount}}". */
  moneyFormat: string;
  currency: string;
  /** Extension blocks may not use {% javascript %} / {% stylesheet %}. */
  extension: boolean;
}

export function readTranslations(dir: string, locale: string): Translations {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json") && !f.includes(".schema."));
  const fallback = files.find((f) => f.endsWith(".default.json"));
  const wanted = files.find((f) => f === `${locale}.json` || f === `${locale}.default.json`);
  const read = (file: string | undefined) =>
    file ? (JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Translations) : {};
  return deepMerge(read(fallback), read(wanted));
}

function deepMerge(base: Translations, over: Translations): Translations {
  const out: Translations = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      isObject(current) && isObject(value)
        ? deepMerge(current as Translations, value as Translations)
        : value;
  }
  return out;
}

const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** CLDR plural category for the locales the sandbox ships (en, fr). */
function pluralCategory(locale: string, count: number): "one" | "other" {
  if (locale.startsWith("fr")) return count === 0 || count === 1 ? "one" : "other";
  return count === 1 ? "one" : "other";
}

export function translate(
  translations: Translations,
  locale: string,
  key: string,
  vars: Record<string, unknown>,
): string {
  let value: unknown = translations;
  for (const part of key.split("."))
    value = isObject(value) ? (value as Translations)[part] : undefined;
  if (isObject(value) && typeof vars.count === "number") {
    const forms = value as Record<string, unknown>;
    value = forms[pluralCategory(locale, vars.count)] ?? forms.other;
  }
  // Shopify shows the missing key in the page; Theme Check (TranslationKeyExists) prevents it.
  if (typeof value !== "string") return `translation missing: ${locale}.${key}`;
  const html = key.endsWith("_html");
  return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const v = vars[name];
    const text = v === undefined || v === null ? "" : String(v);
    return html ? text : escapeHtml(text);
  });
}

export function formatMoney(minor: unknown, format: string, currency: string): string {
  const cents = Number(minor);
  if (!Number.isFinite(cents)) return "";
  const digits = currency === "JPY" ? 0 : 2;
  const amount = (cents / 100).toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return format.replace(/\{\{\s*amount\s*\}\}/, amount);
}

export function createLiquid(options: LiquidOptions) {
  const translations = readTranslations(options.locales, options.locale);
  const engine = new Liquid({
    root: [options.snippets],
    partials: [options.snippets],
    extname: ".liquid",
    strictFilters: true,
    // Shopify renders an unknown variable as nothing, not an error.
    strictVariables: false,
    cache: true,
  });

  engine.registerFilter("t", (key: string, ...args: unknown[]) => {
    const vars = Object.fromEntries(args.filter(Array.isArray) as [string, unknown][]);
    return translate(translations, options.locale, key, vars);
  });
  engine.registerFilter("asset_url", (file: string) => options.assetUrl(file));
  engine.registerFilter("money", (minor: unknown) =>
    formatMoney(minor, options.moneyFormat, options.currency),
  );
  engine.registerFilter("money_without_currency", (minor: unknown) =>
    formatMoney(minor, "{{amount}}", options.currency),
  );
  // Ruby Liquid: Integer / Integer is floor division; anything else divides as floats.
  engine.registerFilter("divided_by", (dividend: unknown, divisor: unknown) => {
    const a = Number(dividend);
    const b = Number(divisor);
    if (b === 0) throw new Error("Liquid error: divided by 0");
    return Number.isInteger(a) && Number.isInteger(b) ? Math.floor(a / b) : a / b;
  });

  engine.registerTag("schema", {
    parse(_token: TagToken, remain: TopLevelToken[]) {
      while (remain.length > 0) {
        const token = remain.shift() as Partial<TagToken>;
        if (token.name === "endschema") return;
      }
      throw new Error("Liquid syntax error: 'schema' tag was never closed");
    },
    render: () => "",
  });
  for (const name of ["javascript", "stylesheet"]) {
    engine.registerTag(name, {
      parse() {
        if (options.extension) {
          throw new Error(`Theme app extension blocks cannot contain '${name}' tags`);
        }
      },
      render: () => "",
    });
  }
  return engine;
}

/** The `{% schema %}` JSON of a block file (settings, target, javascript, stylesheet). */
export interface BlockSchema {
  name: string;
  target: "section" | "head" | "body" | "compliance_head";
  javascript?: string;
  stylesheet?: string;
  settings?: { id?: string; type: string; default?: unknown }[];
}

export function readBlockSchema(source: string): BlockSchema {
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source);
  if (!match?.[1]) throw new Error("block without {% schema %}");
  return JSON.parse(match[1]) as BlockSchema;
}

/** block.settings as the theme editor creates them: each setting's default, or nil. */
export function defaultSettings(schema: BlockSchema): Record<string, unknown> {
  return Object.fromEntries(
    (schema.settings ?? []).filter((s) => s.id).map((s) => [s.id!, s.default ?? null]),
  );
}
