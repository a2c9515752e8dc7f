import { z } from "zod";
import { windowStartFor, type RateVerdict } from "../storefront/rate-limit";
import type { CommerceContact, CommerceFact } from "./facts";

// What the Web Pixel extension (extensions/loyalty-pixel) posts to /pixel/events (ADR 0071):
// validated strictly, since anyone can post anything to a public endpoint. Pure.

/** A body larger than this is refused before it is parsed (a checkout of 50 lines is ~10 kB). */
export const MAX_PIXEL_BODY_BYTES = 32_768;

const Digits = z.string().regex(/^\d{1,20}$/);
const Text = (max: number) => z.string().max(max);
const Url = z.url({ protocol: /^https?$/ }).max(2048);
const Amount = z.number().finite().min(0).max(1e9);

export const PixelProduct = z.strictObject({
  productId: Digits,
  variantId: Digits.nullable(),
  title: Text(255),
  variantTitle: Text(255).nullable(),
  sku: Text(255).nullable(),
  vendor: Text(255).nullable(),
  price: Amount,
  url: Url.nullable(),
  imageUrl: Url.nullable(),
});
export type PixelProduct = z.infer<typeof PixelProduct>;

const Currency = z.string().regex(/^[A-Z]{3}$/);

const common = {
  /** Our shop id and domain, from the pixel's settings and Shopify's init data: both must match. */
  shopId: z.uuid(),
  shopDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  /** Shopify's browser client id (`event.clientId`): the per-client rate limit key. */
  clientId: z.string().min(1).max(100),
  /** Shopify's event id: with the client id, the event's once-only key. */
  eventId: z.string().min(1).max(100),
  timestamp: z.iso.datetime({ offset: true }),
  /** The signed-in customer's id, when there is one (Shopify's `init.data.customer.id`). */
  customerId: Digits.nullable(),
  /**
   * The signed-in customer's email (`init.data.customer.email`): it must be the member's, so a
   * forged post cannot put events on a member's profile with a guessed id alone.
   */
  customerEmail: z.email().max(254).nullable(),
};

export const PixelEventBody = z.discriminatedUnion("name", [
  z.strictObject({
    ...common,
    name: z.literal("product_viewed"),
    currency: Currency,
    product: PixelProduct,
  }),
  z.strictObject({
    ...common,
    name: z.literal("product_added_to_cart"),
    currency: Currency,
    product: PixelProduct,
    quantity: z.int().min(1).max(10_000),
  }),
  z.strictObject({
    ...common,
    name: z.literal("checkout_started"),
    currency: Currency,
    checkoutToken: Text(255).nullable(),
    totalPrice: Amount,
    lines: z.array(PixelProduct.extend({ quantity: z.int().min(1).max(10_000) })).max(100),
  }),
  z.strictObject({
    ...common,
    name: z.literal("page_viewed"),
    /** A key the pixel keeps for the browser session: Active on Site once per session. */
    sessionId: z.string().min(1).max(100),
    url: Url,
  }),
]);
export type PixelEventBody = z.infer<typeof PixelEventBody>;

/** Parses a raw body: null when it is too large, not JSON, or not exactly one known event. */
export function parsePixelBody(raw: string): PixelEventBody | null {
  if (new TextEncoder().encode(raw).length > MAX_PIXEL_BODY_BYTES) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = PixelEventBody.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Requests per minute accepted per shop (all its shoppers) and per browser client. */
export const PIXEL_LIMITS = {
  shop: { limit: 600, windowSeconds: 60 },
  client: { limit: 30, windowSeconds: 60 },
} as const;
export type PixelBucket = keyof typeof PIXEL_LIMITS;

export const pixelRateKey = (bucket: PixelBucket, clientId: string) =>
  bucket === "shop" ? "pixel:shop" : `pixel:client:${clientId}`;

export function pixelWindowStart(bucket: PixelBucket, now: Date) {
  return windowStartFor(now, PIXEL_LIMITS[bucket].windowSeconds);
}

export function pixelVerdict(
  bucket: PixelBucket,
  count: number,
  windowStart: Date,
  now: Date,
): RateVerdict {
  const { limit, windowSeconds } = PIXEL_LIMITS[bucket];
  if (count <= limit) return { allowed: true };
  const ends = windowStart.getTime() + windowSeconds * 1000;
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)),
  };
}

/**
 * The commerce fact of an accepted event, for a member the app knows (`contact` from its own
 * records, not from the browser). Keys: Shopify's event id per client, and for Active on Site the
 * session, so a page view per page of a session still records it once.
 */
export function pixelFact(
  body: PixelEventBody,
  customerId: string,
  contact: CommerceContact,
): CommerceFact {
  const base = {
    customerId,
    contact,
    occurredAt: new Date(body.timestamp),
  };
  const client = `pixel:${body.clientId}`;
  switch (body.name) {
    case "product_viewed":
      return {
        ...base,
        kind: "viewed_product",
        key: `${client}:${body.eventId}`,
        payload: {
          storefront: {
            currency: body.currency,
            value: body.product.price,
            url: body.product.url,
            product: body.product,
          },
        },
      };
    case "product_added_to_cart":
      return {
        ...base,
        kind: "added_to_cart",
        key: `${client}:${body.eventId}`,
        payload: {
          storefront: {
            currency: body.currency,
            value: Math.round(body.product.price * body.quantity * 100) / 100,
            url: body.product.url,
            product: body.product,
            quantity: body.quantity,
          },
        },
      };
    case "checkout_started":
      return {
        ...base,
        kind: "started_checkout",
        key: `${client}:${body.eventId}`,
        payload: {
          storefront: {
            currency: body.currency,
            value: body.totalPrice,
            url: null,
            checkoutToken: body.checkoutToken,
            lines: body.lines,
          },
        },
      };
    case "page_viewed":
      return {
        ...base,
        kind: "active_on_site",
        key: `${client}:session:${body.sessionId}`,
        payload: { storefront: { currency: null, value: null, url: body.url } },
      };
  }
}
