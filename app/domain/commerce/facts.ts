// The facts a commerce event is stored as (outbox payload and snapshot), shared by the order and
// storefront (pixel) events. Types and names only.

/** Every commerce event kind, with its outbox type (`commerce.<kind>`, never a catalog type). */
export const COMMERCE_KINDS = [
  "placed_order",
  "ordered_product",
  "fulfilled_order",
  "cancelled_order",
  "refunded_order",
  "viewed_product",
  "added_to_cart",
  "started_checkout",
  "active_on_site",
] as const;
export type CommerceKind = (typeof COMMERCE_KINDS)[number];

export const COMMERCE_TYPE_PREFIX = "commerce.";
export const commerceType = (kind: CommerceKind) => `${COMMERCE_TYPE_PREFIX}${kind}`;
export const isCommerceType = (type: string) => type.startsWith(COMMERCE_TYPE_PREFIX);

export type OrderLineFact = {
  lineId: string;
  productId: string | null;
  variantId: string | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  /** Unit price, as Shopify's decimal string. */
  price: string;
  /** The line's discount (all units), decimal string. */
  discount: string;
};

/** What every order event says about the order (stored as the outbox payload's `order`). */
export type OrderFact = {
  orderId: string;
  name: string;
  currency: string;
  totalPrice: string;
  subtotalPrice: string | null;
  totalDiscounts: string;
  createdAt: string;
  discountCodes: string[];
  fulfillmentStatus: string | null;
  financialStatus: string | null;
  cancelReason: string | null;
  lines: OrderLineFact[];
};

/** Who an event is about: the outbox snapshot of a commerce event. */
export type CommerceContact = {
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
};

export type OrderEventPayload = {
  order: OrderFact;
  /** The order's points in the ledger when the event was recorded (earned net of clawbacks). */
  loyalty_points_earned: number;
  /** ordered_product: the line; refunded_order: refund id, amount and lines. */
  line?: OrderLineFact;
  refund?: { refundId: string; amount: string; lines: { lineId: string; quantity: number }[] };
};

/** A storefront product as the pixel reports it (validated by PixelProduct in ./pixel). */
export type StorefrontProduct = {
  productId: string;
  variantId: string | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  price: number;
  url: string | null;
  imageUrl: string | null;
};

/** The storefront facts an accepted pixel event is stored as (the outbox payload). */
export type StorefrontPayload = {
  storefront: {
    currency: string | null;
    value: number | null;
    url: string | null;
    product?: StorefrontProduct;
    quantity?: number;
    checkoutToken?: string | null;
    lines?: (StorefrontProduct & { quantity: number })[];
  };
};

/** One commerce fact to record once: `key` is its once-only key within the shop. */
export type CommerceFact = {
  kind: CommerceKind;
  key: string;
  occurredAt: Date;
  /** Null for a guest order: the contact's email or phone names the profile. */
  customerId: string | null;
  contact: CommerceContact;
  payload: OrderEventPayload | StorefrontPayload;
};
