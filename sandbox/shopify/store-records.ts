/**
 * The records of the Shopify stand-in's store (store.ts). Shapes follow Shopify's REST/webhook JSON
 * (snake_case, numeric ids, money as decimal strings), because that is what webhooks carry; the
 * GraphQL endpoint exposes the same records under their GraphQL names.
 */
export interface SandboxCustomer {
  id: number;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  state: "disabled" | "invited" | "enabled" | "declined";
  verified_email: boolean;
  currency: string;
  created_at: string;
  updated_at: string;
  tags: string;
  note: string | null;
  /** REST shape, as customers/* webhooks carry it; absent when the customer saved none. */
  default_address?: SandboxAddress | null;
}

export interface SandboxAddress {
  address1: string | null;
  address2: string | null;
  city: string | null;
  zip: string | null;
  country_code: string | null;
}

export interface SandboxLineItem {
  id: number;
  product_id: number;
  variant_id: number;
  title: string;
  quantity: number;
  price: string;
  sku: string | null;
  gift_card: boolean;
  taxable: boolean;
  total_discount: string;
  /** Units an order edit took off the line (Shopify keeps the line; currentQuantity drops). */
  removed_quantity?: number;
}

export interface SandboxRefund {
  id: number;
  order_id: number;
  created_at: string;
  note: string | null;
  refund_line_items: {
    id: number;
    line_item_id: number;
    quantity: number;
    subtotal: string;
    total_tax: string;
  }[];
  transactions: {
    id: number;
    amount: string;
    kind: "refund";
    status: "success";
    currency: string;
  }[];
  /** Shipping given back with the refund, as REST's `order_adjustments` of kind "shipping_refund" (negative amounts). */
  order_adjustments?: { id: number; amount: string; kind: "shipping_refund" }[];
}

export interface SandboxOrder {
  id: number;
  admin_graphql_api_id: string;
  name: string;
  order_number: number;
  email: string | null;
  currency: string;
  presentment_currency: string;
  financial_status: "pending" | "paid" | "partially_refunded" | "refunded" | "voided";
  /** How the order was paid, as REST lists it ("shopify_store_credit" for store credit). */
  payment_gateway_names: string[];
  created_at: string;
  updated_at: string;
  processed_at: string;
  cancelled_at: string | null;
  cancel_reason: string | null;
  subtotal_price: string;
  total_price: string;
  total_tax: string;
  total_discounts: string;
  total_shipping_price_set: { shop_money: { amount: string; currency_code: string } };
  discount_codes: {
    code: string;
    amount: string;
    type: "fixed_amount" | "percentage" | "shipping";
  }[];
  /** The cart's attributes (name/value), as REST's order carries them. */
  note_attributes: { name: string; value: string }[];
  line_items: SandboxLineItem[];
  refunds: SandboxRefund[];
  customer: Pick<
    SandboxCustomer,
    "id" | "email" | "first_name" | "last_name" | "phone" | "state" | "default_address"
  > | null;
  /** The customer's default address unless the order says otherwise. */
  shipping_address?: SandboxAddress | null;
  test: boolean;
}

export interface SandboxShop {
  id: number;
  name: string;
  domain: string; // the myshopify domain
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  /** The billing address's country (ISO 3166-1 alpha-2). */
  countryCode: string;
  plan: "Basic" | "Shopify" | "Advanced" | "Plus";
}

/** A custom collection: products are put in it one by one (smart collections are not modelled). */
export interface SandboxCollection {
  id: number;
  title: string;
  handle: string;
  updated_at: string;
}

/** A product as far as the stand-in knows it: its title and the collections it is in. */
export interface SandboxProduct {
  id: number;
  title: string;
  collectionIds: Set<number>;
  updated_at: string;
}
