import { pixelMessage, type PixelContext, type PixelEvent } from "./messages";

// The Web Pixel (ADR 0071). Shopify's sandbox provides `shopify.extend`; this is what
// @shopify/web-pixels-extension's `register` calls, written out so the extension has no
// dependency to install.

type Api = {
  settings: { shopId?: string; endpoint?: string };
  analytics: { subscribe(name: string, callback: (event: PixelEvent) => void): unknown };
  browser: {
    sessionStorage: {
      getItem(key: string): Promise<string | null>;
      setItem(key: string, value: string): Promise<void>;
    };
  };
  init: {
    data: {
      customer?: { id?: string | null; email?: string | null } | null;
      shop: { myshopifyDomain: string };
    };
    context: { document: { location: { origin: string } } };
  };
};

declare const shopify: { extend(target: "WebPixel::Render", extend: (api: Api) => void): void };

const SESSION_KEY = "loyalty_pixel_session";
const ACTIVE_KEY = "loyalty_pixel_active";

shopify.extend("WebPixel::Render", ({ settings, analytics, browser, init }) => {
  const { shopId, endpoint } = settings;
  if (!shopId || !endpoint) return;

  const session = (async () => {
    let id = await browser.sessionStorage.getItem(SESSION_KEY);
    if (!id) {
      id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      await browser.sessionStorage.setItem(SESSION_KEY, id);
    }
    return id;
  })();

  const send = async (event: PixelEvent) => {
    const context: PixelContext = {
      shopId,
      shopDomain: init.data.shop.myshopifyDomain,
      customerId: init.data.customer?.id ?? null,
      customerEmail: init.data.customer?.email ?? null,
      origin: init.context.document.location.origin,
      sessionId: await session,
    };
    const body = pixelMessage(event, context);
    if (!body) return;
    // text/plain: a simple request, no CORS preflight per event.
    await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify(body),
      keepalive: true,
    }).catch(() => undefined);
  };

  analytics.subscribe("product_viewed", (event) => void send(event));
  analytics.subscribe("product_added_to_cart", (event) => void send(event));
  analytics.subscribe("checkout_started", (event) => void send(event));
  // Active on Site: the first page view of the session only (the app also keeps it once).
  analytics.subscribe("page_viewed", (event) => {
    void (async () => {
      if (await browser.sessionStorage.getItem(ACTIVE_KEY)) return;
      await browser.sessionStorage.setItem(ACTIVE_KEY, "1");
      await send(event);
    })();
  });
});
