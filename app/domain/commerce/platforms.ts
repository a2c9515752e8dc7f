import { profileIdentity, type KlaviyoEvent } from "../klaviyo";
import { omnisendIdentity, type OmnisendEvent } from "../omnisend";
import {
  COMMERCE_TYPE_PREFIX,
  type CommerceContact,
  type CommerceKind,
  type OrderEventPayload,
  type OrderFact,
  type OrderLineFact,
  type StorefrontPayload,
  type StorefrontProduct,
} from "./facts";

/**
 * Klaviyo's metric names for the events its own Shopify integration sends (the Shopware plugin's
 * list in the seeds, and Klaviyo's custom-integration guide): the same names, so flows built for
 * that integration work. Never rename them.
 */
export const KLAVIYO_COMMERCE_METRICS: Record<CommerceKind, string> = {
  placed_order: "Placed Order",
  ordered_product: "Ordered Product",
  fulfilled_order: "Fulfilled Order",
  cancelled_order: "Cancelled Order",
  refunded_order: "Refunded Order",
  viewed_product: "Viewed Product",
  added_to_cart: "Added to Cart",
  started_checkout: "Started Checkout",
  active_on_site: "Active on Site",
};

/**
 * The kinds Omnisend takes through its Events API. Its "viewed product" page lists one endpoint,
 * the storefront snippet's JavaScript `track` (eventVersion v4), not POST /v5/events
 * (api-docs.omnisend.com/docs/viewed-product): a viewed product goes to Klaviyo only.
 */
export type OmnisendCommerceKind = Exclude<CommerceKind, "viewed_product">;

/** Where a commerce fact goes: both email platforms, less what a platform does not take. */
export function commerceDestinations(kind: CommerceKind): ("klaviyo" | "omnisend")[] {
  return kind === "viewed_product" ? ["klaviyo"] : ["klaviyo", "omnisend"];
}

/**
 * Omnisend's recommended event names and versions as its Events API takes them
 * (api-docs.omnisend.com, "Supported Endpoints" of each event: "placed order", "ordered
 * product", "order fulfilled", "order canceled", "order refunded": eventVersion v2; "added
 * product to cart" and "started checkout": an empty version; origin "api" for all). Omnisend
 * documents no "active on site": that one is a custom event of the same name.
 */
export const OMNISEND_COMMERCE_EVENTS: Record<
  OmnisendCommerceKind,
  { name: string; version: string }
> = {
  placed_order: { name: "placed order", version: "v2" },
  ordered_product: { name: "ordered product", version: "v2" },
  fulfilled_order: { name: "order fulfilled", version: "v2" },
  cancelled_order: { name: "order canceled", version: "v2" },
  refunded_order: { name: "order refunded", version: "v2" },
  added_to_cart: { name: "added product to cart", version: "" },
  started_checkout: { name: "started checkout", version: "" },
  active_on_site: { name: "active on site", version: "" },
};

/** Omnisend's origin for recommended events sent through the Events API (its docs' table). */
export const OMNISEND_COMMERCE_ORIGIN = "api";

export type StoredCommerceEvent = {
  id: string;
  type: string;
  /** Null for a guest order: the profile is named by the order's email or phone alone. */
  customerId: bigint | string | null;
  occurredAt: Date;
  payload: unknown;
  snapshot: unknown;
};

export function commerceKind(type: string): CommerceKind {
  const kind = type.slice(COMMERCE_TYPE_PREFIX.length) as CommerceKind;
  if (!(kind in KLAVIYO_COMMERCE_METRICS)) throw new Error(`unknown commerce event ${type}`);
  return kind;
}

const amount = (decimal: string) => Math.round(Number(decimal) * 100) / 100;

function klaviyoItem(line: OrderLineFact) {
  return {
    ProductID: line.productId,
    VariantID: line.variantId,
    SKU: line.sku,
    ProductName: line.title,
    VariantName: line.variantTitle,
    Brand: line.vendor,
    Quantity: line.quantity,
    ItemPrice: amount(line.price),
    RowTotal: amount(line.price) * line.quantity - amount(line.discount),
  };
}

function klaviyoOrderProperties(order: OrderFact) {
  return {
    OrderId: order.orderId,
    OrderName: order.name,
    ItemNames: order.lines.map((l) => l.title),
    Brands: [...new Set(order.lines.flatMap((l) => (l.vendor ? [l.vendor] : [])))],
    DiscountCodes: order.discountCodes,
    DiscountValue: amount(order.totalDiscounts),
    Items: order.lines.map(klaviyoItem),
  };
}

/**
 * A stored order event as Klaviyo's Create Event receives it: the metric its Shopify integration
 * uses, `$value` (and `value`) the order total (the line total for Ordered Product, the money
 * returned for Refunded Order), and the points the order earned. The outbox id is `unique_id`.
 */
export function klaviyoCommerceEvent(row: StoredCommerceEvent): KlaviyoEvent {
  const kind = commerceKind(row.type);
  const contact = row.snapshot as CommerceContact;
  const payload = row.payload as OrderEventPayload | StorefrontPayload;
  const profile = profileIdentity({
    customerId: row.customerId === null ? null : String(row.customerId),
    email: contact.email,
    phone: contact.phone,
  });
  const base = {
    metric: KLAVIYO_COMMERCE_METRICS[kind],
    time: row.occurredAt.toISOString(),
    uniqueId: row.id,
    profile,
  };
  if ("storefront" in payload) return { ...base, ...klaviyoStorefront(kind, payload.storefront) };
  const { order } = payload;
  let value = amount(order.totalPrice);
  let properties: Record<string, unknown> = klaviyoOrderProperties(order);
  if (kind === "ordered_product" && payload.line) {
    const item = klaviyoItem(payload.line);
    value = item.RowTotal;
    properties = { OrderId: order.orderId, OrderName: order.name, ...item };
  }
  if (kind === "cancelled_order") properties.Reason = order.cancelReason;
  if (kind === "refunded_order" && payload.refund) {
    value = amount(payload.refund.amount);
    properties.RefundId = payload.refund.refundId;
    properties.RefundedItems = payload.refund.lines.map((l) => ({
      ...klaviyoItem(order.lines.find((o) => o.lineId === l.lineId) ?? emptyLine(l.lineId)),
      Quantity: l.quantity,
    }));
  }
  return {
    ...base,
    properties: {
      $value: value,
      ...properties,
      loyalty_points_earned: payload.loyalty_points_earned,
    },
    value,
    valueCurrency: order.currency,
  };
}

const emptyLine = (lineId: string): OrderLineFact => ({
  lineId,
  productId: null,
  variantId: null,
  title: "",
  variantTitle: null,
  sku: null,
  vendor: null,
  quantity: 0,
  price: "0",
  discount: "0",
});

function omnisendLine(line: OrderLineFact) {
  return {
    productID: line.productId ?? line.lineId,
    productVariantID: line.variantId ?? line.lineId,
    productTitle: line.title,
    productVariantTitle: line.variantTitle ?? line.title,
    productSKU: line.sku ?? "",
    productVendor: line.vendor ?? "",
    productPrice: amount(line.price),
    productQuantity: line.quantity,
    productDiscount: amount(line.discount),
  };
}

function omnisendOrderProperties(order: OrderFact) {
  return {
    orderID: order.orderId,
    orderNumber: order.name,
    currency: order.currency,
    totalPrice: amount(order.totalPrice),
    subTotalPrice: order.subtotalPrice === null ? undefined : amount(order.subtotalPrice),
    totalDiscount: amount(order.totalDiscounts),
    createdAt: order.createdAt,
    fulfillmentStatus: order.fulfillmentStatus ?? "unfulfilled",
    paymentStatus: order.financialStatus ?? "paid",
    discounts: order.discountCodes.map((code) => ({ code })),
    lineItems: order.lines.map(omnisendLine),
  };
}

/**
 * A stored commerce event as Omnisend's POST /events receives it: the recommended event's name,
 * version and properties (orderID, totalPrice, lineItems…), plus the points the order earned.
 * Null when the contact has neither email nor phone (Omnisend has no other identifier).
 */
export function omnisendCommerceEvent(row: StoredCommerceEvent): OmnisendEvent | null {
  const kind = commerceKind(row.type);
  if (kind === "viewed_product") throw new Error("Omnisend's Events API takes no viewed product");
  const identity = omnisendIdentity(row.snapshot as CommerceContact);
  if (!identity) return null;
  const event = OMNISEND_COMMERCE_EVENTS[kind];
  const payload = row.payload as OrderEventPayload | StorefrontPayload;
  const base = {
    eventName: event.name,
    eventVersion: event.version,
    eventID: row.id,
    eventTime: row.occurredAt.toISOString(),
    origin: OMNISEND_COMMERCE_ORIGIN,
    contact: { ...identity },
  };
  if ("storefront" in payload) {
    return { ...base, properties: omnisendStorefront(kind, payload.storefront) };
  }
  const { order } = payload;
  let properties: Record<string, unknown> = omnisendOrderProperties(order);
  if (kind === "ordered_product" && payload.line) {
    properties = { orderID: order.orderId, product: omnisendLine(payload.line) };
  }
  if (kind === "cancelled_order") properties.cancelReason = order.cancelReason ?? "";
  if (kind === "refunded_order" && payload.refund) {
    properties.totalRefundedAmount = amount(payload.refund.amount);
    properties.refundedLineItems = payload.refund.lines.map((l) => ({
      productID: order.lines.find((o) => o.lineId === l.lineId)?.productId ?? l.lineId,
      productQuantity: l.quantity,
    }));
  }
  return {
    ...base,
    properties: JSON.parse(
      JSON.stringify({ ...properties, loyalty_points_earned: payload.loyalty_points_earned }),
    ) as Record<string, unknown>,
  };
}

function klaviyoProduct(product: StorefrontProduct) {
  return {
    ProductID: product.productId,
    VariantID: product.variantId,
    SKU: product.sku,
    ProductName: product.title,
    VariantName: product.variantTitle,
    Brand: product.vendor,
    Price: product.price,
    URL: product.url,
    ImageURL: product.imageUrl,
  };
}

/**
 * A storefront event's Klaviyo properties, named as Klaviyo's onsite tracking names them
 * (Viewed Product: ProductName, ProductID, Price…; Added to Cart: AddedItem…; Started Checkout:
 * ItemNames, Items), with `$value`/`value` where there is money.
 */
function klaviyoStorefront(
  kind: CommerceKind,
  facts: StorefrontPayload["storefront"],
): Pick<KlaviyoEvent, "properties" | "value" | "valueCurrency"> {
  const money =
    facts.value === null || facts.currency === null
      ? {}
      : { value: facts.value, valueCurrency: facts.currency };
  const $value = facts.value === null ? {} : { $value: facts.value };
  if (kind === "viewed_product" && facts.product) {
    return { properties: { ...$value, ...klaviyoProduct(facts.product) }, ...money };
  }
  if (kind === "added_to_cart" && facts.product) {
    const added = Object.fromEntries(
      Object.entries(klaviyoProduct(facts.product)).map(([key, v]) => [`AddedItem${key}`, v]),
    );
    return {
      properties: { ...$value, ...added, AddedItemQuantity: facts.quantity ?? 1 },
      ...money,
    };
  }
  if (kind === "started_checkout") {
    const lines = facts.lines ?? [];
    return {
      properties: {
        ...$value,
        CheckoutToken: facts.checkoutToken ?? null,
        ItemNames: lines.map((l) => l.title),
        Items: lines.map((l) => ({ ...klaviyoProduct(l), Quantity: l.quantity })),
      },
      ...money,
    };
  }
  return { properties: { URL: facts.url } };
}

function omnisendProduct(product: StorefrontProduct) {
  return {
    productID: product.productId,
    productVariantID: product.variantId ?? product.productId,
    productTitle: product.title,
    productVariantTitle: product.variantTitle ?? product.title,
    productSKU: product.sku ?? "",
    productVendor: product.vendor ?? "",
    productPrice: product.price,
    ...(product.url ? { productURL: product.url } : {}),
    ...(product.imageUrl ? { productImageURL: product.imageUrl } : {}),
  };
}

/** A storefront event's Omnisend properties (addedItem, lineItems, cartID, value, currency). */
function omnisendStorefront(
  kind: CommerceKind,
  facts: StorefrontPayload["storefront"],
): Record<string, unknown> {
  if (kind === "added_to_cart" && facts.product) {
    const item = { ...omnisendProduct(facts.product), productQuantity: facts.quantity ?? 1 };
    return { currency: facts.currency, value: facts.value, addedItem: item, lineItems: [item] };
  }
  if (kind === "started_checkout") {
    return {
      ...(facts.checkoutToken ? { cartID: facts.checkoutToken } : {}),
      currency: facts.currency,
      value: facts.value,
      lineItems: (facts.lines ?? []).map((l) => ({
        ...omnisendProduct(l),
        productQuantity: l.quantity,
      })),
    };
  }
  return { url: facts.url };
}
