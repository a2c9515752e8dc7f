/**
 * webPixelCreate / webPixelUpdate / webPixel
 * (https://shopify.dev/docs/apps/build/marketing-analytics/build-web-pixels): one pixel per app and
 * shop, its settings checked against the settings definition of the app's web pixel extension
 * (`extensions/loyalty-pixel/shopify.extension.toml`): every field present, a string, within its
 * min/max length. A second create answers TAKEN, as Shopify does.
 */
import { readFileSync } from "node:fs";
import type { AdminContext, Resolver, UserError } from "../context";
import { isRecord } from "../values";

type FieldRule = { min: number; max: number };

/** The extension's settings fields and their length validations, read from its toml. */
function settingsDefinition(): Map<string, FieldRule> {
  const toml = readFileSync(
    new URL("../../../../extensions/loyalty-pixel/shopify.extension.toml", import.meta.url),
    "utf8",
  );
  const fields = new Map<string, FieldRule>();
  for (const block of toml.split(/^\[settings\.fields\./m).slice(1)) {
    const name = /^(\w+)\]/.exec(block)?.[1];
    if (!name) continue;
    const bound = (kind: string) =>
      Number(new RegExp(`name = "${kind}", value = "(\\d+)"`).exec(block)?.[1] ?? NaN);
    fields.set(name, {
      min: Number.isNaN(bound("min")) ? 0 : bound("min"),
      max: Number.isNaN(bound("max")) ? Infinity : bound("max"),
    });
  }
  return fields;
}

function settingsErrors(settings: unknown): UserError[] {
  const parsed: unknown = typeof settings === "string" ? safeJson(settings) : settings;
  if (!isRecord(parsed)) {
    return [
      {
        field: ["webPixel", "settings"],
        message: "Settings must be a JSON object",
        code: "INVALID_SETTINGS",
      },
    ];
  }
  const errors: UserError[] = [];
  const definition = settingsDefinition();
  for (const key of Object.keys(parsed)) {
    if (!definition.has(key)) {
      errors.push({
        field: ["webPixel", "settings"],
        message: `Unknown setting ${key}`,
        code: "INVALID_SETTINGS",
      });
    }
  }
  for (const [key, rule] of definition) {
    const value = parsed[key];
    if (typeof value !== "string" || value.length < rule.min || value.length > rule.max) {
      errors.push({
        field: ["webPixel", "settings"],
        message: `Setting ${key} is invalid`,
        code: "INVALID_SETTINGS",
      });
    }
  }
  return errors;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const stored = (settings: unknown) =>
  (typeof settings === "string" ? safeJson(settings) : settings) as Record<string, unknown>;

const view = (ctx: AdminContext) =>
  ctx.state.webPixel && {
    id: ctx.state.webPixel.id,
    settings: JSON.stringify(ctx.state.webPixel.settings),
  };

export const webPixelResolvers: Record<string, Resolver> = {
  "QueryRoot.webPixel": (_source, _args, ctx) => view(ctx),
  "Mutation.webPixelCreate": (_source, args, ctx) => {
    const input = isRecord(args.webPixel) ? args.webPixel : {};
    if (ctx.state.webPixel) {
      return {
        webPixel: null,
        userErrors: [{ field: ["webPixel"], message: "Web pixel already exists", code: "TAKEN" }],
      };
    }
    const errors = settingsErrors(input.settings);
    if (errors.length > 0) return { webPixel: null, userErrors: errors };
    ctx.state.webPixel = {
      id: `gid://shopify/WebPixel/${ctx.store.newId()}`,
      settings: stored(input.settings),
    };
    return { webPixel: view(ctx), userErrors: [] };
  },
  "Mutation.webPixelUpdate": (_source, args, ctx) => {
    const input = isRecord(args.webPixel) ? args.webPixel : {};
    if (!ctx.state.webPixel || ctx.state.webPixel.id !== args.id) {
      return {
        webPixel: null,
        userErrors: [{ field: ["id"], message: "Web pixel not found", code: "NOT_FOUND" }],
      };
    }
    const errors = settingsErrors(input.settings);
    if (errors.length > 0) return { webPixel: null, userErrors: errors };
    ctx.state.webPixel.settings = stored(input.settings);
    return { webPixel: view(ctx), userErrors: [] };
  },
};
