import type { SandboxShop } from "./store";
import type { TokenAuthority } from "./tokens";

export interface AdminFrameOptions {
  shop: SandboxShop;
  tokens: TokenAuthority;
  appUrl: string;
  apiKey: string;
}

/** Shopify admin's languages the sandbox offers; Shopify passes the staff member's as `locale`. */
const ADMIN_LOCALES = { en: "English", fr: "Français" } as const;
type AdminLocale = keyof typeof ADMIN_LOCALES;
const LOCALE_COOKIE = "sandbox_admin_locale";

/**
 * Shopify admin's part in an embedded app, on the stand-in's origin:
 * - `/store/<handle>/apps/<api key>/<path>` is the admin page that frames the app at
 *   `<app url>/<path>` with shop, host, embedded=1, a fresh id_token and the admin's locale, as
 *   admin does; App Bridge in the frame reports where the app went, so the address bar (and so a
 *   reload or a bookmark) follows the app;
 * - `/store/<handle>/oauth/install?client_id=…` is where the app's login form sends a merchant:
 *   the app is installed here, so admin opens it.
 */
export function createAdminFrame(options: AdminFrameOptions) {
  const handle = options.shop.domain.split(".")[0];
  const appBase = `/store/${handle}/apps/${options.apiKey}`;
  const host = Buffer.from(`admin.shopify.com/store/${handle}`).toString("base64url");

  return async function adminFrame(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    const match = /^\/store\/([^/]+)\/(apps\/([^/]+)|oauth\/install)(\/.*)?$/.exec(url.pathname);
    if (!match) return undefined;
    if (match[1] !== handle) {
      return page(404, `There is no shop “${match[1]}” here: this sandbox has one, ${handle}.`);
    }
    if (match[2] === "oauth/install") {
      if (url.searchParams.get("client_id") !== options.apiKey) {
        return page(404, "No app with this client_id is installed on this shop.");
      }
      return Response.redirect(new URL(appBase, url).toString(), 302);
    }
    if (match[3] !== options.apiKey) return page(404, "No app with this API key is installed.");

    const chosen = url.searchParams.get("locale");
    const locale = isAdminLocale(chosen) ? chosen : (cookieLocale(request) ?? "en");
    url.searchParams.delete("locale");
    const framed = new URL(match[4] ?? "/", options.appUrl);
    framed.search = url.search;
    framed.searchParams.set("embedded", "1");
    framed.searchParams.set("host", host);
    framed.searchParams.set("id_token", await options.tokens.sessionToken());
    framed.searchParams.set("locale", locale);
    framed.searchParams.set("shop", options.shop.domain);
    const headers = new Headers({ "Content-Type": "text/html; charset=utf-8" });
    headers.set("Cache-Control", "no-store");
    if (chosen && isAdminLocale(chosen)) {
      headers.set("Set-Cookie", `${LOCALE_COOKIE}=${chosen}; Path=/; SameSite=Lax`);
    }
    return new Response(
      adminPage({ shopName: options.shop.name, appBase, appOrigin: framed.origin, locale, framed }),
      { headers },
    );
  };
}

function adminPage(input: {
  shopName: string;
  appBase: string;
  appOrigin: string;
  locale: AdminLocale;
  framed: URL;
}) {
  const languages = Object.entries(ADMIN_LOCALES)
    .map(
      ([code, name]) =>
        `<option value="${code}"${code === input.locale ? " selected" : ""}>${name}</option>`,
    )
    .join("");
  return `<!doctype html>
<html lang="${input.locale}">
<head>
<meta charset="utf-8">
<title>Loyalty &amp; Rewards · ${escapeHtml(input.shopName)} · Shopify admin (sandbox)</title>
<style>
  html, body { margin: 0; height: 100%; }
  body { display: flex; flex-direction: column; font: 14px system-ui, sans-serif; background: #f1f1f1; }
  header { display: flex; gap: 16px; align-items: center; padding: 8px 20px; background: #1a1a1a; color: #fff; }
  header strong { margin-right: auto; }
  header label { display: flex; gap: 8px; align-items: center; }
  iframe { flex: 1; border: 0; width: 100%; background: #f1f1f1; }
</style>
</head>
<body>
<header>
  <strong>Shopify admin (sandbox) · ${escapeHtml(input.shopName)}</strong>
  <form method="get"><label>Admin language
    <select name="locale" onchange="this.form.submit()">${languages}</select></label>
    <noscript><button>Change</button></noscript>
  </form>
</header>
<iframe name="app-iframe" title="Loyalty &amp; Rewards" src="${escapeHtml(input.framed.toString())}"></iframe>
<script>
  // App Bridge in the frame says where the app is; admin's address follows, as in Shopify admin.
  window.addEventListener("message", (event) => {
    if (event.origin !== ${JSON.stringify(input.appOrigin)}) return;
    const data = event.data || {};
    if (data.type !== "sandbox:location" || typeof data.path !== "string" || !data.path.startsWith("/")) return;
    history.replaceState(null, "", ${JSON.stringify(input.appBase)} + (data.path === "/" ? "" : data.path));
  });
</script>
</body>
</html>`;
}

function page(status: number, message: string) {
  return new Response(
    `<!doctype html><title>Shopify admin (sandbox)</title><p>${escapeHtml(message)}</p>`,
    {
      status,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    },
  );
}

function isAdminLocale(value: string | null): value is AdminLocale {
  return value !== null && value in ADMIN_LOCALES;
}

function cookieLocale(request: Request): AdminLocale | undefined {
  const cookie = request.headers.get("Cookie") ?? "";
  const value = new RegExp(`(?:^|; )${LOCALE_COOKIE}=(\\w+)`).exec(cookie)?.[1] ?? null;
  return isAdminLocale(value) ? value : undefined;
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
