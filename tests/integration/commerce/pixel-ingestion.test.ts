import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { env } from "~/env.server";
import { PIXEL_LIMITS, pixelRateKey, pixelWindowStart } from "~/domain/commerce";
import { action } from "~/routes/pixel.events";
import { setCommerceEvents } from "~/services/commerce/events.server";
import { ingestPixelEvent } from "~/services/commerce/pixel.server";
import { connectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { connectOmnisend } from "~/services/omnisend/connection.server";
import { drainOmnisend } from "~/services/omnisend/drain.server";
import {
  pixelMessage,
  type PixelContext,
  type PixelEvent,
} from "../../../extensions/loyalty-pixel/src/messages";
import { KLAVIYO_KEY, klaviyoStandIn, memberEvents, newMember } from "../../support/klaviyo";
import { OMNISEND_KEY, omnisendStandIn } from "../../support/omnisend";
import { standInAdmin } from "../../support/stand-in-admin";
import { APP_URL, callAction, TEST_SHOP } from "../../support/webhooks";

const klaviyo = klaviyoStandIn();
const omnisend = omnisendStandIn();

const ORIGIN = "https://test-shop.example";

/** A product variant as Shopify's standard events carry it. */
const variant = (n: number) => ({
  id: `gid://shopify/ProductVariant/${900 + n}`,
  title: "Large",
  sku: `SKU-${n}`,
  price: { amount: 12.5 * n, currencyCode: "USD" },
  image: { src: `//cdn.shopify.com/p${n}.jpg` },
  product: {
    id: `gid://shopify/Product/${800 + n}`,
    title: `Product ${n}`,
    vendor: "Acme",
    url: `/products/p${n}`,
  },
});

let events = 0;
function standardEvent(
  name: string,
  data: PixelEvent["data"] = {},
  clientId = "client-a",
): PixelEvent {
  events += 1;
  return {
    id: `sh-${events}-${randomUUID()}`,
    name,
    clientId,
    timestamp: new Date().toISOString(),
    data,
    context: { document: { location: { href: `${ORIGIN}/products/p1`, origin: ORIGIN } } },
  };
}

const post = (body: string, headers: Record<string, string> = {}) =>
  callAction(
    action,
    new Request(`${APP_URL}/pixel/events`, {
      method: "POST",
      headers: { "Content-Type": "text/plain", ...headers },
      body,
    }),
  );

/** Rows anything at all could have written for a pixel request. */
async function footprint() {
  const [loyaltyEvents, deliveries, counters, drops] = await Promise.all([
    prisma.loyaltyEvent.count(),
    prisma.eventDelivery.count(),
    prisma.proxyRateCounter.count(),
    prisma.commerceEventDrop.count(),
  ]);
  return { loyaltyEvents, deliveries, counters, drops };
}

async function shopWithMember(email: string, commerce = true) {
  const created = await newMember({ email });
  await connectKlaviyo(created.shop.id, KLAVIYO_KEY);
  await connectOmnisend(created.shop.id, OMNISEND_KEY);
  await setCommerceEvents(created.shop.id, commerce);
  expect(await drainKlaviyo(created.shop.id)).toMatchObject({ state: "done" });
  expect(await drainOmnisend(created.shop.id)).toMatchObject({ state: "done" });
  const context = (
    customerId: string | null,
    sessionId = "session-1",
    customerEmail: string | null = customerId ? email.toUpperCase() : null,
  ): PixelContext => ({
    shopId: created.shop.id,
    shopDomain: TEST_SHOP,
    customerId,
    customerEmail,
    origin: ORIGIN,
    sessionId,
  });
  return { ...created, context };
}

describe("Web Pixel activation", () => {
  it("turning commerce events on creates the app's web pixel with the shop's id and endpoint", async () => {
    const { shop, store } = await newMember({ email: "pixel-activate@example.com" });
    const documents: string[] = [];
    const admin = standInAdmin(store, (query) => documents.push(query));
    const readPixel = async () => {
      const response = await admin.graphql("query { webPixel { id settings } }");
      return (
        (await response.json()) as { data: { webPixel: { id: string; settings: string } | null } }
      ).data.webPixel;
    };
    expect(await readPixel()).toBeNull();

    expect(await setCommerceEvents(shop.id, true, admin)).toEqual({ pixel: "active" });
    const created = await readPixel();
    expect(JSON.parse(created!.settings)).toEqual({
      shopId: shop.id,
      endpoint: new URL("/pixel/events", env().SHOPIFY_APP_URL).toString(),
    });
    // Saved again: the same pixel is updated, not a second one created (Shopify answers TAKEN).
    expect(await setCommerceEvents(shop.id, true, admin)).toEqual({ pixel: "active" });
    expect((await readPixel())!.id).toBe(created!.id);
    expect(documents.some((d) => d.includes("webPixelUpdate"))).toBe(true);
    // Turned off: the setting changes, the pixel is left alone (the endpoint refuses its events).
    expect(await setCommerceEvents(shop.id, false, admin)).toEqual({ pixel: "unchanged" });
    expect(
      (await prisma.shop.findUniqueOrThrow({ where: { id: shop.id } })).commerceEventsEnabled,
    ).toBe(false);
  });
});

describe("Web Pixel ingestion", () => {
  it("forwards a signed-in member's storefront events to Klaviyo and Omnisend, each once", async () => {
    const email = "pixel-member@example.com";
    const { shop, customer, context } = await shopWithMember(email);
    const signedIn = context(`gid://shopify/Customer/${customer.id}`);
    const klaviyoFrom = klaviyo().state.requests.length;
    const omnisendFrom = omnisend().state.requests.length;

    const viewed = standardEvent("product_viewed", { productVariant: variant(1) });
    const added = standardEvent("product_added_to_cart", {
      cartLine: { quantity: 2, merchandise: variant(2) },
    });
    const checkout = standardEvent("checkout_started", {
      checkout: {
        token: "chk-1",
        currencyCode: "USD",
        totalPrice: { amount: 62.5, currencyCode: "USD" },
        lineItems: [
          { quantity: 1, title: "Product 1", variant: variant(1) },
          { quantity: 2, title: "Product 2", variant: variant(2) },
        ],
      },
    });
    const page = standardEvent("page_viewed");
    const secondPage = standardEvent("page_viewed");
    const answers = [];
    for (const event of [viewed, added, checkout, page, secondPage, viewed]) {
      const response = await post(JSON.stringify(pixelMessage(event, signedIn)));
      answers.push([response.status, await response.json()]);
    }
    expect(answers).toEqual([
      [202, { kind: "accepted", recorded: true }],
      [202, { kind: "accepted", recorded: true }],
      [202, { kind: "accepted", recorded: true }],
      [202, { kind: "accepted", recorded: true }],
      // Active on Site once per session; a repeated event id once.
      [202, { kind: "accepted", recorded: false }],
      [202, { kind: "accepted", recorded: false }],
    ]);

    expect(await drainKlaviyo(shop.id)).toMatchObject({ state: "done" });
    expect(await drainOmnisend(shop.id)).toMatchObject({ state: "done" });
    // Every request passed the stand-ins' contract validation.
    expect(
      klaviyo()
        .state.requests.slice(klaviyoFrom)
        .filter((r) => r.status >= 400),
    ).toEqual([]);
    expect(
      omnisend()
        .state.requests.slice(omnisendFrom)
        .filter((r) => r.status >= 400),
    ).toEqual([]);
    const metrics = ["Viewed Product", "Added to Cart", "Started Checkout", "Active on Site"];
    expect(metrics.map((m) => memberEvents(klaviyo(), m).length)).toEqual([1, 1, 1, 1]);
    expect(memberEvents(klaviyo(), "Viewed Product")[0]!.properties).toMatchObject({
      ProductName: "Product 1",
      ProductID: "801",
      SKU: "SKU-1",
      Price: 12.5,
      URL: `${ORIGIN}/products/p1`,
    });
    const cart = memberEvents(klaviyo(), "Added to Cart")[0]!;
    expect(cart.value).toBe(50);
    expect(cart.properties).toMatchObject({
      AddedItemProductName: "Product 2",
      AddedItemQuantity: 2,
    });
    const started = memberEvents(klaviyo(), "Started Checkout")[0]!;
    expect(started.properties).toMatchObject({
      $value: 62.5,
      ItemNames: ["Product 1", "Product 2"],
    });
    // Omnisend takes viewed product only from its own snippet: no delivery is made for it.
    const names = ["viewed product", "added product to cart", "started checkout", "active on site"];
    expect(names.map((n) => omnisend().state.eventsNamed(n).length)).toEqual([0, 1, 1, 1]);
    const contactId = omnisend().state.eventsNamed("started checkout")[0]!.contactID!;
    expect(omnisend().state.contactById(contactId)?.identifiers[0]?.id).toBe(email);
  });

  it("refuses forged and malformed events and stores nothing for them", async () => {
    const { customer, context } = await shopWithMember("pixel-forged@example.com");
    const good = pixelMessage(
      standardEvent("product_viewed", { productVariant: variant(3) }),
      context(String(customer.id)),
    ) as Record<string, unknown>;
    const before = await footprint();

    const refusals: [string, string][] = [
      ["unknown shop", JSON.stringify({ ...good, shopId: randomUUID() })],
      ["shop id of another domain", JSON.stringify({ ...good, shopDomain: "other.myshopify.com" })],
      ["not JSON", "{product_viewed"],
      ["not an object", JSON.stringify([good])],
      ["unknown event", JSON.stringify({ ...good, name: "product_removed_from_cart" })],
      ["extra field", JSON.stringify({ ...good, admin: true })],
      ["missing field", JSON.stringify({ ...good, clientId: undefined })],
      [
        "bad price",
        JSON.stringify({ ...good, product: { ...(good.product as object), price: -1 } }),
      ],
      [
        "script url",
        JSON.stringify({
          ...good,
          product: { ...(good.product as object), url: "javascript:alert(1)" },
        }),
      ],
      ["oversized", JSON.stringify({ ...good, eventId: "x".repeat(40_000) })],
      ["empty", ""],
    ];
    const statuses = [];
    for (const [label, body] of refusals) {
      const response = await post(body);
      statuses.push([
        label,
        response.status,
        ((await response.json()) as { reason: string }).reason,
      ]);
    }
    expect(statuses).toEqual([
      ["unknown shop", 403, "unknown_shop"],
      ["shop id of another domain", 403, "unknown_shop"],
      ["not JSON", 400, "malformed"],
      ["not an object", 400, "malformed"],
      ["unknown event", 400, "malformed"],
      ["extra field", 400, "malformed"],
      ["missing field", 400, "malformed"],
      ["bad price", 400, "malformed"],
      ["script url", 400, "malformed"],
      ["oversized", 400, "malformed"],
      ["empty", 400, "malformed"],
    ]);
    // A declared size over the limit is refused without reading the body.
    const declared = await post(JSON.stringify(good), { "Content-Length": "100000" });
    expect(declared.status).toBe(400);
    expect(await footprint()).toEqual(before);
  });

  it("refuses everything while the shop has commerce events off, and after uninstall", async () => {
    const { shop, customer, context } = await shopWithMember("pixel-off@example.com", false);
    const body = JSON.stringify(
      pixelMessage(standardEvent("page_viewed"), context(String(customer.id), "off-session")),
    );
    const before = await footprint();
    const off = await post(body);
    expect([off.status, await off.json()]).toEqual([403, { kind: "refused", reason: "disabled" }]);
    await setCommerceEvents(shop.id, true);
    await prisma.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
    const gone = await post(body);
    expect([gone.status, await gone.json()]).toEqual([
      403,
      { kind: "refused", reason: "unknown_shop" },
    ]);
    expect(await footprint()).toEqual(before);
    await prisma.shop.update({ where: { id: shop.id }, data: { uninstalledAt: null } });
  });

  it("drops anonymous, unknown and unverified customers' events with a counted reason, storing no event", async () => {
    const { shop, customer, context } = await shopWithMember("pixel-anon@example.com");
    const events = await prisma.loyaltyEvent.count();
    const anonymous = await post(
      JSON.stringify(pixelMessage(standardEvent("page_viewed", {}, "anon"), context(null))),
    );
    expect(await anonymous.json()).toEqual({ kind: "dropped", reason: "anonymous" });
    const stranger = await post(
      JSON.stringify(pixelMessage(standardEvent("page_viewed", {}, "anon"), context("424242"))),
    );
    expect(await stranger.json()).toEqual({ kind: "dropped", reason: "unknown_customer" });
    // A member's id with someone else's email (or none): a guessed id puts nothing on a profile.
    for (const email of ["someone-else@example.com", null]) {
      const guessed = await post(
        JSON.stringify(
          pixelMessage(
            standardEvent("page_viewed", {}, "anon"),
            context(String(customer.id), "guess", email),
          ),
        ),
      );
      expect(await guessed.json()).toEqual({ kind: "dropped", reason: "unverified_customer" });
    }
    expect(await prisma.loyaltyEvent.count()).toBe(events);
    const drops = await prisma.commerceEventDrop.findMany({ where: { shopId: shop.id } });
    expect(drops.map((d) => [d.reason, d.count]).sort()).toEqual([
      ["anonymous", 1],
      ["unknown_customer", 1],
      ["unverified_customer", 2],
    ]);
  });

  it("limits each client and each shop per minute (429 with Retry-After), and stores no event past it", async () => {
    const { shop, customer, context } = await shopWithMember("pixel-flood@example.com");
    const now = new Date("2026-12-07T10:00:10Z");
    const flood = (clientId: string) =>
      JSON.stringify(
        pixelMessage(
          standardEvent("product_viewed", { productVariant: variant(4) }, clientId),
          context(String(customer.id)),
        ),
      );
    const outcomes = [];
    for (let i = 0; i <= PIXEL_LIMITS.client.limit; i++) {
      outcomes.push((await ingestPixelEvent(flood("flooder"), now)).kind);
    }
    expect(outcomes.filter((k) => k === "accepted")).toHaveLength(PIXEL_LIMITS.client.limit);
    const events = await prisma.loyaltyEvent.count();
    expect(await ingestPixelEvent(flood("flooder"), now)).toEqual({
      kind: "limited",
      retryAfterSeconds: 50,
    });
    // Another client of the same shop still gets through, until the shop's own limit.
    expect((await ingestPixelEvent(flood("neighbour"), now)).kind).toBe("accepted");
    expect(await prisma.loyaltyEvent.count()).toBe(events + 1);

    // Through the route: a shop at its limit answers 429 with Retry-After.
    const windowStart = pixelWindowStart("shop", new Date());
    await prisma.proxyRateCounter.upsert({
      where: { shopId_key: { shopId: shop.id, key: pixelRateKey("shop", "") } },
      create: {
        shopId: shop.id,
        key: pixelRateKey("shop", ""),
        windowStart,
        count: PIXEL_LIMITS.shop.limit,
      },
      update: { windowStart, count: PIXEL_LIMITS.shop.limit },
    });
    const limited = await post(flood("fresh-client"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await prisma.loyaltyEvent.count()).toBe(events + 1);
  });
});
