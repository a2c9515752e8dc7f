import { z } from "zod";
import type { CommerceContact, CommerceFact, OrderEventPayload, OrderFact } from "./facts";

// Commerce events (ADR 0071): the order facts Klaviyo's and Omnisend's own Shopify integrations
// send, for stores that have neither (headless). Pure: parsing Shopify's order webhooks into
// neutral facts, and the once-only key of each fact. Mapping to each platform is in ./platforms.

const Money = z.string().regex(/^-?\d+(\.\d+)?$/);
const Id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

const OrderLine = z
  .object({
    id: Id,
    product_id: Id.nullish(),
    variant_id: Id.nullish(),
    title: z.string(),
    variant_title: text,
    sku: text,
    vendor: text,
    quantity: z.number().int().nonnegative(),
    price: Money,
    total_discount: Money.default("0"),
  })
  .loose();

/** The fields of Shopify's REST-shaped order (orders/paid, orders/fulfilled, orders/cancelled). */
export const CommerceOrderPayload = z
  .object({
    id: Id,
    name: z.string(),
    order_number: z.number().int().optional(),
    email: text,
    phone: text,
    currency: z.string().length(3),
    total_price: Money,
    subtotal_price: Money.optional(),
    total_discounts: Money.default("0"),
    created_at: z.string(),
    processed_at: z.string().nullish(),
    updated_at: z.string().nullish(),
    cancelled_at: z.string().nullish(),
    cancel_reason: text,
    fulfillment_status: text,
    financial_status: text,
    discount_codes: z.array(z.object({ code: z.string() }).loose()).default([]),
    line_items: z.array(OrderLine).default([]),
    customer: z
      .object({
        id: Id,
        email: text,
        phone: text,
        first_name: text,
        last_name: text,
      })
      .loose()
      .nullish(),
    // A guest's name, when the order has no customer.
    billing_address: z.object({ first_name: text, last_name: text }).loose().nullish(),
  })
  .loose();

/**
 * The fields of Shopify's refunds/create payload read here, as the engine's schema parses them
 * (services/orders/payloads.ts `RefundPayload`): one schema for the refund, whoever reads it.
 */
export interface RefundSeen {
  id: string;
  created_at: string;
  refund_line_items: { line_item_id: string; quantity: number }[];
  transactions: { amount: string; kind: string; status: string }[];
}

export type ParsedOrder = z.infer<typeof CommerceOrderPayload>;

export function orderFact(order: ParsedOrder): OrderFact {
  return {
    orderId: order.id,
    name: order.name,
    currency: order.currency,
    totalPrice: order.total_price,
    subtotalPrice: order.subtotal_price ?? null,
    totalDiscounts: order.total_discounts,
    createdAt: order.created_at,
    discountCodes: order.discount_codes.map((d) => d.code),
    fulfillmentStatus: order.fulfillment_status,
    financialStatus: order.financial_status,
    cancelReason: order.cancel_reason,
    lines: order.line_items.map((line) => ({
      lineId: line.id,
      productId: line.product_id ?? null,
      variantId: line.variant_id ?? null,
      title: line.title,
      variantTitle: line.variant_title,
      sku: line.sku,
      vendor: line.vendor,
      quantity: line.quantity,
      price: line.price,
      discount: line.total_discount,
    })),
  };
}

/**
 * Who the order's events are about: its customer, or for a guest order (no Shopify customer) the
 * email or phone given at checkout, as Klaviyo's and Omnisend's own integrations name guests.
 * Null for a guest who gave neither: no profile to send the events to.
 */
export function orderContact(
  order: ParsedOrder,
): { customerId: string | null; contact: CommerceContact } | null {
  if (!order.customer) {
    if (!order.email && !order.phone) return null;
    return {
      customerId: null,
      contact: {
        email: order.email,
        phone: order.phone,
        first_name: order.billing_address?.first_name ?? null,
        last_name: order.billing_address?.last_name ?? null,
      },
    };
  }
  return {
    customerId: order.customer.id,
    contact: {
      email: order.customer.email ?? order.email,
      phone: order.customer.phone ?? order.phone,
      first_name: order.customer.first_name,
      last_name: order.customer.last_name,
    },
  };
}

const at = (iso: string | null | undefined, fallback: Date) => {
  const date = iso ? new Date(iso) : fallback;
  return Number.isNaN(date.getTime()) ? fallback : date;
};

/**
 * orders/paid → Placed Order, then one Ordered Product per line (Klaviyo's Shopify integration
 * sends both). Keys name the order and line, so a redelivery or a second paid webhook adds nothing.
 */
export function placedOrderFacts(order: ParsedOrder, points: number, now: Date): CommerceFact[] {
  const who = orderContact(order);
  if (!who) return [];
  const fact = orderFact(order);
  const occurredAt = at(order.processed_at ?? order.created_at, now);
  const payload: OrderEventPayload = { order: fact, loyalty_points_earned: points };
  return [
    { kind: "placed_order", key: `order:${order.id}:placed`, occurredAt, ...who, payload },
    ...fact.lines.map((line): CommerceFact => ({
      kind: "ordered_product",
      key: `order:${order.id}:line:${line.lineId}`,
      occurredAt,
      ...who,
      payload: { ...payload, line },
    })),
  ];
}

/** orders/fulfilled → Fulfilled Order, once per order. */
export function fulfilledOrderFacts(order: ParsedOrder, points: number, now: Date): CommerceFact[] {
  const who = orderContact(order);
  if (!who) return [];
  const payload: OrderEventPayload = { order: orderFact(order), loyalty_points_earned: points };
  return [
    {
      kind: "fulfilled_order",
      key: `order:${order.id}:fulfilled`,
      occurredAt: at(order.updated_at, now),
      ...who,
      payload,
    },
  ];
}

/** orders/cancelled → Cancelled Order, once per order. */
export function cancelledOrderFacts(order: ParsedOrder, points: number, now: Date): CommerceFact[] {
  const who = orderContact(order);
  if (!who) return [];
  const payload: OrderEventPayload = { order: orderFact(order), loyalty_points_earned: points };
  return [
    {
      kind: "cancelled_order",
      key: `order:${order.id}:cancelled`,
      occurredAt: at(order.cancelled_at, now),
      ...who,
      payload,
    },
  ];
}

/** The money a refund returned: its successful refund transactions, as a decimal string. */
export function refundAmount(refund: RefundSeen): string {
  const cents = refund.transactions
    .filter((t) => t.kind === "refund" && t.status === "success")
    .reduce((sum, t) => sum + Math.round(Number(t.amount) * 100), 0);
  return (cents / 100).toFixed(2);
}

/**
 * refunds/create → Refunded Order, once per refund. The refund payload names no customer: the
 * order as orders/paid described it (kept from Placed Order) and its contact are passed in; a
 * refund of an order never seen paid, or of a guest order, records nothing.
 */
export function refundedOrderFacts(
  refund: RefundSeen,
  placed: { order: OrderFact; customerId: string | null; contact: CommerceContact } | null,
  points: number,
  now: Date,
): CommerceFact[] {
  if (!placed) return [];
  const payload: OrderEventPayload = {
    order: placed.order,
    loyalty_points_earned: points,
    refund: {
      refundId: refund.id,
      amount: refundAmount(refund),
      lines: refund.refund_line_items.map((l) => ({
        lineId: l.line_item_id,
        quantity: l.quantity,
      })),
    },
  };
  return [
    {
      kind: "refunded_order",
      key: `refund:${refund.id}`,
      occurredAt: at(refund.created_at, now),
      customerId: placed.customerId,
      contact: placed.contact,
      payload,
    },
  ];
}
