import fs from "node:fs";
import path from "node:path";
import type { SandboxStore } from "../shopify/store";
import type { WebhookSender } from "../shopify/webhook-sender";
import { forwardAppProxy, PROXY_PREFIX } from "./app-proxy";
import {
  addToCart,
  cartCookie,
  cartLines,
  checkout,
  CheckoutError,
  emptyCartCookie,
  readCart,
  updateAttributes,
} from "./cart";
import { PRODUCTS } from "./products";
import { ASSET_PREFIX, createStorefrontRenderer, EXTENSION_DIR, type PageContext } from "./render";

export interface StorefrontOptions {
  store: SandboxStore;
  webhooks: WebhookSender;
  appUrl: string;
  apiKey: string;
  apiSecret: string;
}

const COOKIE = "sandbox_customer";
const LOCALES = ["en", "fr"];
const TYPES: Record<string, string> = { ".js": "text/javascript", ".css": "text/css" };

/**
 * The simulated store's storefront: product pages and a rewards page rendered from the theme app
 * extension's Liquid, customer sign-in by choosing a customer, and the App Proxy to the app.
 * Returns null for paths it does not serve.
 */
export function createStorefront(options: StorefrontOptions) {
  const renderer = createStorefrontRenderer();
  const { store } = options;

  function signedIn(request: Request) {
    const match = /(?:^|;\s*)sandbox_customer=(\d+)/.exec(request.headers.get("cookie") ?? "");
    const customer = match?.[1] ? store.customers.get(Number(match[1])) : undefined;
    return customer ?? null;
  }

  function shopDrop() {
    // The app-owned shop metafield the app writes with metafieldsSet ($app:loyalty → app--<id>--loyalty).
    const record = store.adminApi.metafield(
      `gid://shopify/Shop/${store.shop.id}`,
      `app--${options.apiKey}--loyalty`,
      "program",
    );
    const program = record
      ? { value: JSON.parse(record.value) as unknown, type: record.type }
      : null;
    return {
      name: store.shop.name,
      currency: store.shop.currencyCode,
      money_format: "${{amount}}",
      metafields: { "$app:loyalty": { program } },
    };
  }

  function context(request: Request, locale: string): PageContext {
    const customer = signedIn(request);
    const url = new URL(request.url);
    return {
      locale,
      shop: shopDrop(),
      customer: customer && {
        id: customer.id,
        first_name: customer.first_name,
        last_name: customer.last_name,
        email: customer.email,
      },
      embed: url.searchParams.get("embed") !== "0",
    };
  }

  const html = (body: string, status = 200) =>
    new Response(body, {
      status,
      headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
    });
  const redirect = (location: string, cookie?: string) =>
    new Response(null, {
      status: 303,
      headers: { Location: location, ...(cookie ? { "Set-Cookie": cookie } : {}) },
    });

  /** The cart (a cookie), Shopify's Ajax cart endpoints and a one-page checkout. */
  async function cartRoutes(request: Request, pathname: string, locale: string) {
    const cart = readCart(request);
    const json = (body: unknown, cookie?: string) =>
      Response.json(body, { headers: cookie ? { "Set-Cookie": cookie } : {} });
    if (pathname === "/cart.js") return json(cart);
    if (pathname === "/cart/update.js" && request.method === "POST") {
      const body = (await request.json().catch(() => ({}))) as { attributes?: object };
      const next = updateAttributes(cart, { ...(body.attributes ?? {}) });
      return json(next, cartCookie(next));
    }
    if (pathname === "/cart/add" && request.method === "POST") {
      const form = await request.formData();
      const next = addToCart(cart, String(form.get("handle")), Number(form.get("quantity") ?? 1));
      return redirect("/cart", cartCookie(next));
    }
    if (pathname === "/checkout/thank-you") {
      const url = new URL(request.url);
      const order = store.orders.get(Number(url.searchParams.get("order")));
      if (!order) return html("<h1>Not found</h1>", 404);
      return html(
        await renderer.renderPage(
          "main-thanks",
          "Thank you",
          { order },
          [],
          context(request, locale),
        ),
      );
    }
    if (pathname !== "/cart") return null;
    const customer = signedIn(request);
    let problem: string | null = null;
    if (request.method === "POST") {
      const form = await request.formData();
      if (!customer) problem = "Sign in to check out";
      else {
        try {
          const order = await checkout(
            store,
            options.webhooks,
            customer,
            cart,
            String(form.get("discount") ?? ""),
          );
          return redirect(`/checkout/thank-you?order=${order.id}`, emptyCartCookie);
        } catch (error) {
          if (!(error instanceof CheckoutError)) throw error;
          problem = error.message;
        }
      }
    }
    const lines = cartLines(cart);
    const scope = {
      lines,
      subtotal: lines.reduce((sum, l) => sum + l.line, 0),
      problem,
      signed_in: customer !== null,
    };
    return html(
      await renderer.renderPage("main-cart", "Cart", scope, [], context(request, locale)),
      problem ? 422 : 200,
    );
  }

  return async function handle(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    let pathname = url.pathname;
    let locale = "en";
    const prefixed = /^\/(\w\w)(\/.*)$/.exec(pathname);
    if (prefixed?.[1] && LOCALES.includes(prefixed[1]) && prefixed[2]) {
      locale = prefixed[1];
      pathname = prefixed[2];
    }

    if (pathname.startsWith(`${PROXY_PREFIX}/`) || pathname === PROXY_PREFIX) {
      const answer = await forwardAppProxy(
        new Request(new URL(pathname + url.search, url), request),
        {
          appUrl: options.appUrl,
          shop: store.shop.domain,
          apiSecret: options.apiSecret,
          customerId: signedIn(request)?.id ?? null,
          clientIp: "127.0.0.1",
        },
      );
      // Liquid from the app is rendered in the theme, as Shopify's App Proxy does.
      if (!(answer.headers.get("content-type") ?? "").startsWith("application/liquid"))
        return answer;
      const page = await renderer.renderProxyLiquid(
        await answer.text(),
        store.shop.name,
        context(request, locale),
      );
      return new Response(page, {
        status: answer.status,
        headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
    if (pathname.startsWith(ASSET_PREFIX)) {
      const file = path.basename(pathname);
      const full = path.join(EXTENSION_DIR, "assets", file);
      if (!fs.existsSync(full)) return new Response("Not Found", { status: 404 });
      return new Response(fs.readFileSync(full), {
        headers: {
          "Content-Type": `${TYPES[path.extname(file)] ?? "application/octet-stream"}; charset=utf-8`,
          "Cache-Control": "public, max-age=300",
        },
      });
    }
    const product = /^\/products\/([\w-]+)$/.exec(pathname);
    if (product) {
      const item = PRODUCTS.find((p) => p.handle === product[1]);
      if (!item) return html("<h1>Not found</h1>", 404);
      const drop = {
        ...item,
        selected_or_first_available_variant: {
          id: item.id * 10,
          price: item.price,
          title: "Default",
        },
      };
      const ctx = context(request, locale);
      return html(
        await renderer.renderPage(
          "main-product",
          item.title,
          { product: drop },
          ["product-points"],
          ctx,
        ),
      );
    }
    if (pathname === "/pages/rewards") {
      const ctx = context(request, locale);
      const title = locale === "fr" ? "Récompenses" : "Rewards";
      return html(
        await renderer.renderPage("main-page", title, { page: { title } }, ["rewards-page"], ctx),
      );
    }
    if (pathname === "/account/login") {
      if (request.method === "POST") {
        const form = await request.formData();
        const customer = store.customers.get(Number(form.get("customer_id")));
        if (!customer) return html("<h1>No such customer</h1>", 422);
        const back = String(form.get("return_to") ?? "");
        return redirect(
          back.startsWith("/") ? back : "/pages/rewards",
          `${COOKIE}=${customer.id}; Path=/; HttpOnly; SameSite=Lax`,
        );
      }
      const customers = [...store.customers.values()].filter((c) => c.state === "enabled");
      const ctx = context(request, locale);
      return html(
        await renderer.renderPage(
          "main-login",
          "Log in",
          {
            customers,
            // Shopify's own parameter is return_url (a claim code's page sends it).
            return_to:
              url.searchParams.get("return_to") ??
              url.searchParams.get("return_url") ??
              "/pages/rewards",
          },
          [],
          ctx,
        ),
      );
    }
    if (pathname === "/account/register") {
      if (request.method === "POST") {
        const form = await request.formData();
        const email = String(form.get("email") ?? "").trim();
        const firstName = String(form.get("first_name") ?? "").trim();
        if (!/^[^@\s]+@[^@\s]+$/.test(email) || !firstName) {
          return html("<h1>Please give a first name and a valid email</h1>", 422);
        }
        const customer = store.addCustomer({ email, first_name: firstName, state: "enabled" });
        await options.webhooks.send("customers/create", customer);
        return redirect(
          "/pages/rewards",
          `${COOKIE}=${customer.id}; Path=/; HttpOnly; SameSite=Lax`,
        );
      }
      return html(
        await renderer.renderPage(
          "main-register",
          "Create account",
          {},
          [],
          context(request, locale),
        ),
      );
    }
    const cartAnswer = await cartRoutes(request, pathname, locale);
    if (cartAnswer) return cartAnswer;
    if (pathname === "/") {
      const ctx = context(request, locale);
      return html(
        await renderer.renderPage("main-home", store.shop.name, { products: PRODUCTS }, [], ctx),
      );
    }
    if (pathname === "/account/logout")
      return redirect("/pages/rewards", `${COOKIE}=; Path=/; Max-Age=0`);
    if (pathname === "/account") return redirect("/pages/rewards");
    return null;
  };
}
