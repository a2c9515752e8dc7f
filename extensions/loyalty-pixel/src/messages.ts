// What the pixel posts to the app (app/domain/commerce/pixel.ts validates it): Shopify's standard
// event data reduced to the fields Klaviyo's and Omnisend's storefront events use. No imports, so
// the extension bundles to a few kilobytes.

type Money = { amount: number; currencyCode: string } | null | undefined;

export type PixelVariant = {
  id?: string | null;
  title?: string | null;
  sku?: string | null;
  price?: Money;
  image?: { src?: string | null } | null;
  product?: {
    id?: string | null;
    title?: string | null;
    vendor?: string | null;
    url?: string | null;
  } | null;
} | null;

export type PixelEvent = {
  id: string;
  name: string;
  clientId: string;
  timestamp: string;
  data?: {
    productVariant?: PixelVariant;
    cartLine?: { quantity?: number; merchandise?: PixelVariant } | null;
    checkout?: {
      token?: string | null;
      currencyCode?: string | null;
      totalPrice?: Money;
      lineItems?: { quantity?: number; title?: string | null; variant?: PixelVariant }[] | null;
    } | null;
  };
  context?: { document?: { location?: { href?: string; origin?: string } } };
};

export type PixelContext = {
  shopId: string;
  shopDomain: string;
  customerId: string | null;
  customerEmail: string | null;
  /** The storefront's origin, to make product paths absolute. */
  origin: string;
  sessionId: string;
};

/** "gid://shopify/Product/123" or "123" → "123"; null when it is neither. */
export function numericId(id: string | null | undefined): string | null {
  const match = /(\d+)$/.exec(id ?? "");
  return match ? match[1]! : null;
}

function absolute(path: string | null | undefined, origin: string): string | null {
  if (!path) return null;
  try {
    const url = new URL(path, origin);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function product(variant: PixelVariant, origin: string) {
  const productId = numericId(variant?.product?.id);
  if (!variant || !productId) return null;
  return {
    productId,
    variantId: numericId(variant.id),
    title: (variant.product?.title ?? variant.title ?? "").slice(0, 255),
    variantTitle: variant.title?.slice(0, 255) ?? null,
    sku: variant.sku?.slice(0, 255) || null,
    vendor: variant.product?.vendor?.slice(0, 255) || null,
    price: variant.price?.amount ?? 0,
    url: absolute(variant.product?.url, origin),
    imageUrl: absolute(variant.image?.src, origin),
  };
}

/** The body for one standard event, or null when the event lacks what its message needs. */
export function pixelMessage(event: PixelEvent, context: PixelContext): object | null {
  const common = {
    shopId: context.shopId,
    shopDomain: context.shopDomain,
    clientId: event.clientId,
    eventId: event.id,
    timestamp: event.timestamp,
    customerId: numericId(context.customerId),
    customerEmail: context.customerEmail,
  };
  switch (event.name) {
    case "product_viewed": {
      const variant = event.data?.productVariant ?? null;
      const viewed = product(variant, context.origin);
      const currency = variant?.price?.currencyCode;
      return viewed && currency ? { ...common, name: event.name, currency, product: viewed } : null;
    }
    case "product_added_to_cart": {
      const line = event.data?.cartLine;
      const added = product(line?.merchandise ?? null, context.origin);
      const currency = line?.merchandise?.price?.currencyCode;
      if (!added || !currency) return null;
      return {
        ...common,
        name: event.name,
        currency,
        product: added,
        quantity: line?.quantity ?? 1,
      };
    }
    case "checkout_started": {
      const checkout = event.data?.checkout;
      if (!checkout?.currencyCode) return null;
      const lines = (checkout.lineItems ?? []).slice(0, 100).flatMap((item) => {
        const line = product(item.variant ?? null, context.origin);
        return line ? [{ ...line, quantity: item.quantity ?? 1 }] : [];
      });
      return {
        ...common,
        name: event.name,
        currency: checkout.currencyCode,
        checkoutToken: checkout.token ?? null,
        totalPrice: checkout.totalPrice?.amount ?? 0,
        lines,
      };
    }
    case "page_viewed": {
      const url = absolute(event.context?.document?.location?.href, context.origin);
      return url ? { ...common, name: event.name, sessionId: context.sessionId, url } : null;
    }
    default:
      return null;
  }
}
