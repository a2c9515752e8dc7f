import fs from "node:fs";
import path from "node:path";
import { createLiquid, defaultSettings, readBlockSchema, type BlockSchema } from "./liquid";

export const EXTENSION_DIR = path.resolve("extensions/loyalty-theme");
const THEME_DIR = path.resolve("sandbox/storefront/theme");
export const ASSET_PREFIX = "/cdn/extensions/loyalty-theme/assets/";

export interface PageContext {
  locale: string;
  shop: Record<string, unknown>;
  customer: Record<string, unknown> | null;
  /** The app embed (launcher) is on, as after the merchant enables it under App embeds. */
  embed: boolean;
  /** Block setting overrides, as a merchant would set them in the theme editor. */
  settings?: Record<string, Record<string, unknown>>;
}

interface RenderedBlock {
  html: string;
  schema: BlockSchema;
}

const ROUTES = {
  root_url: "/",
  account_url: "/account",
  account_login_url: "/account/login",
  account_register_url: "/account/register",
  account_logout_url: "/account/logout",
};

/**
 * Renders storefront pages the way an Online Store 2.0 theme with the app's extension does: the
 * theme's layout and sections, app blocks in a section's `@app` slots, the app embed before
 * </body>, and each block's schema `javascript` (deferred) and `stylesheet` in the head.
 */
export function createStorefrontRenderer() {
  const engines = new Map<string, ReturnType<typeof createLiquid>>();
  const engine = (kind: "extension" | "theme", locale: string, shop: Record<string, unknown>) => {
    const key = `${kind}:${locale}`;
    let liquid = engines.get(key);
    if (!liquid) {
      const dir = kind === "extension" ? EXTENSION_DIR : THEME_DIR;
      liquid = createLiquid({
        snippets: path.join(dir, kind === "extension" ? "snippets" : "sections"),
        locales: path.join(EXTENSION_DIR, "locales"),
        locale,
        assetUrl: (file) => `${ASSET_PREFIX}${file}`,
        moneyFormat: String(shop.money_format),
        currency: String(shop.currency),
        extension: kind === "extension",
      });
      engines.set(key, liquid);
    }
    return liquid;
  };

  async function renderBlock(name: string, scope: Record<string, unknown>, ctx: PageContext) {
    const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
    const schema = readBlockSchema(source);
    const block = {
      id: `app-${name}`,
      type: "@app",
      settings: { ...defaultSettings(schema), ...ctx.settings?.[name] },
      // Empty outside the theme editor.
      shopify_attributes: "",
    };
    const liquid = engine("extension", ctx.locale, ctx.shop);
    const html = await liquid.parseAndRender(source, { ...scope, block });
    return { html, schema } satisfies RenderedBlock;
  }

  async function renderPage(
    section: string,
    title: string,
    scope: Record<string, unknown>,
    appBlocks: string[],
    ctx: PageContext,
  ) {
    const globals = {
      shop: ctx.shop,
      customer: ctx.customer,
      routes: ROUTES,
      request: { locale: { iso_code: ctx.locale } },
      page_title: title,
      ...scope,
    };
    const blocks: RenderedBlock[] = [];
    for (const name of appBlocks) blocks.push(await renderBlock(name, globals, ctx));
    const embed = ctx.embed ? await renderBlock("loyalty-embed", globals, ctx) : null;
    const theme = engine("theme", ctx.locale, ctx.shop);
    const sectionSource = fs.readFileSync(
      path.join(THEME_DIR, "sections", `${section}.liquid`),
      "utf8",
    );
    const content = await theme.parseAndRender(sectionSource, {
      ...globals,
      section: { blocks: blocks.map((b) => ({ type: "@app", html: b.html })) },
    });
    const head = assetTags([...blocks, ...(embed ? [embed] : [])].map((b) => b.schema));
    const layout = fs.readFileSync(path.join(THEME_DIR, "layout", "theme.liquid"), "utf8");
    const html = await theme.parseAndRender(layout, {
      ...globals,
      content_for_header: head,
      content_for_layout: content,
    });
    return embed ? html.replace("</body>", `${embed.html}\n</body>`) : html;
  }

  /**
   * An App Proxy answer sent as `application/liquid`: Shopify renders it with the storefront's
   * objects (request.locale, routes, customer, shop) inside the theme's layout.
   */
  async function renderProxyLiquid(source: string, title: string, ctx: PageContext) {
    const globals = {
      shop: ctx.shop,
      customer: ctx.customer,
      routes: ROUTES,
      request: { locale: { iso_code: ctx.locale } },
      page_title: title,
    };
    const theme = engine("theme", ctx.locale, ctx.shop);
    const content = await theme.parseAndRender(source, globals);
    const embed = ctx.embed ? await renderBlock("loyalty-embed", globals, ctx) : null;
    const layout = fs.readFileSync(path.join(THEME_DIR, "layout", "theme.liquid"), "utf8");
    const html = await theme.parseAndRender(layout, {
      ...globals,
      content_for_header: embed ? assetTags([embed.schema]) : "",
      content_for_layout: content,
    });
    return embed ? html.replace("</body>", `${embed.html}\n</body>`) : html;
  }

  return { renderPage, renderProxyLiquid };
}

/** What Shopify adds to content_for_header for the blocks on the page (each asset once). */
function assetTags(schemas: BlockSchema[]) {
  const styles = new Set(schemas.map((s) => s.stylesheet).filter(Boolean));
  const scripts = new Set(schemas.map((s) => s.javascript).filter(Boolean));
  return [
    ...[...styles].map((f) => `<link rel="stylesheet" href="${ASSET_PREFIX}${f}">`),
    ...[...scripts].map((f) => `<script src="${ASSET_PREFIX}${f}" defer></script>`),
  ].join("\n");
}
