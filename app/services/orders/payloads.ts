import { z } from "zod";
import type { OrderForEarning } from "~/domain/earning/index";
import type { RefundForClawback } from "~/domain/earning/index";
import { toMinorUnits } from "~/domain/money";

// Shopify's REST-shaped order and refund webhook payloads, only the fields the engine reads.
// https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-orders/paid

const Money = z.string().regex(/^-?\d+(\.\d+)?$/, "a decimal amount");
const ShopMoney = z.object({ shop_money: z.object({ amount: Money, currency_code: z.string() }) });
const Id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);

const Customer = z
  .object({
    id: Id,
    admin_graphql_api_id: z.string().optional(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
  })
  .loose();

const LineItem = z
  .object({
    id: Id,
    product_id: Id.nullish(),
    quantity: z.number().int().nonnegative(),
    price: Money,
    price_set: ShopMoney.optional(),
    gift_card: z.boolean().default(false),
    total_discount: Money.default("0"),
    discount_allocations: z
      .array(z.object({ amount: Money, amount_set: ShopMoney.optional() }).loose())
      .default([]),
  })
  .loose();

export const OrderPayload = z
  .object({
    id: Id,
    admin_graphql_api_id: z.string().optional(),
    name: z.string().optional(),
    currency: z.string().length(3),
    created_at: z.string(),
    updated_at: z.string().nullish(),
    processed_at: z.string().nullish(),
    cancelled_at: z.string().nullish(),
    total_tax: Money.default("0"),
    total_shipping_price_set: ShopMoney.optional(),
    line_items: z.array(LineItem),
    customer: Customer.nullish(),
    /** How it was paid; "shopify_store_credit" when store credit paid part of it. */
    payment_gateway_names: z.array(z.string()).nullish(),
  })
  .loose();
export type OrderPayload = z.infer<typeof OrderPayload>;

/** The payment gateway name Shopify gives store credit spent at checkout. */
export const STORE_CREDIT_GATEWAY = "shopify_store_credit";

export const RefundPayload = z
  .object({
    id: Id,
    order_id: Id,
    created_at: z.string(),
    refund_line_items: z
      .array(z.object({ line_item_id: Id, quantity: z.number().int().nonnegative() }).loose())
      .default([]),
    transactions: z
      .array(z.object({ amount: Money, kind: z.string(), status: z.string() }).loose())
      .default([]),
  })
  .loose();
export type RefundPayload = z.infer<typeof RefundPayload>;

// https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-orders/edited: an
// `order_edit` names the order and the line item deltas, but carries no prices or totals.
const EditDelta = z.object({ id: Id, delta: z.number().int() }).loose();
export const OrderEditedPayload = z
  .object({
    order_edit: z
      .object({
        id: Id,
        order_id: Id,
        created_at: z.string(),
        line_items: z
          .object({
            additions: z.array(EditDelta).default([]),
            removals: z.array(EditDelta).default([]),
          })
          .loose()
          .optional(),
      })
      .loose(),
  })
  .loose();
export type OrderEditedPayload = z.infer<typeof OrderEditedPayload>;

/** The order as the earning rules see it: shop-currency minor units per line. */
export function orderForEarning(order: OrderPayload): OrderForEarning {
  const currency = order.currency;
  const minor = (amount: string) => toMinorUnits(amount, currency);
  return {
    currency,
    lines: order.line_items.map((line) => ({
      lineItemId: line.id,
      productId: line.product_id ?? null,
      collectionIds: [],
      quantity: line.quantity,
      unitPriceMinor: minor(line.price_set?.shop_money.amount ?? line.price),
      // Shopify allocates every discount (line and order level) to lines in discount_allocations.
      discountMinor: line.discount_allocations.length
        ? line.discount_allocations.reduce((sum, a) => sum + minor(a.amount), 0)
        : minor(line.total_discount),
      giftCard: line.gift_card,
    })),
    shippingMinor: minor(order.total_shipping_price_set?.shop_money.amount ?? "0"),
    taxMinor: minor(order.total_tax),
    orderLevelDiscountMinor: 0,
  };
}

/** What a refund tells about points: lines given back and money returned (decimal strings). */
export interface RefundFacts {
  lines: { lineItemId: string; quantity: number }[];
  amounts: string[];
}

export function refundFacts(refund: RefundPayload): RefundFacts {
  return {
    lines: refund.refund_line_items
      .filter((line) => line.quantity > 0)
      .map((line) => ({ lineItemId: line.line_item_id, quantity: line.quantity })),
    amounts: refund.transactions
      .filter((t) => t.kind === "refund" && t.status === "success")
      .map((t) => t.amount),
  };
}

/** Refund facts in the order's currency, as the clawback rules take them. */
export function refundForClawback(
  refundId: string,
  facts: RefundFacts,
  currency: string,
): RefundForClawback {
  return {
    refundId,
    lines: facts.lines,
    amountMinor: facts.amounts.reduce((sum, amount) => sum + toMinorUnits(amount, currency), 0),
  };
}
