/**
 * The Shopify stand-in's state: one store with customers and orders, in memory. Shapes follow
 * Shopify's REST/webhook JSON (snake_case, numeric ids, money as decimal strings), because that is
 * what webhooks carry; the GraphQL endpoint exposes the same records under their GraphQL names.
 */
import { AdminApiState } from "./admin-graphql/state";
import type {
  SandboxAddress,
  SandboxCollection,
  SandboxCustomer,
  SandboxLineItem,
  SandboxOrder,
  SandboxProduct,
  SandboxRefund,
  SandboxShop,
} from "./store-records";

export type {
  SandboxAddress,
  SandboxCollection,
  SandboxCustomer,
  SandboxLineItem,
  SandboxOrder,
  SandboxProduct,
  SandboxRefund,
  SandboxShop,
} from "./store-records";

export class SandboxStore {
  readonly customers = new Map<number, SandboxCustomer>();
  readonly orders = new Map<number, SandboxOrder>();
  readonly products = new Map<number, SandboxProduct>();
  readonly collections = new Map<number, SandboxCollection>();
  private nextId: number;
  /**
   * What the Admin GraphQL stand-in writes (discount codes, store credit, gift cards, metafields,
   * Flow trigger calls); see sandbox/shopify/admin-graphql/state.ts.
   */
  readonly adminApi = new AdminApiState(() => this.newId());
  /** Orders by customer id, for views that read a customer's orders (a bulk import reads all). */
  private readonly ordersByCustomer = new Map<number, SandboxOrder[]>();
  /**
   * Email marketing consent by customer id (absent: not_subscribed). Customer payloads do not
   * carry it since 2025-01; customers_email_marketing_consent/update does.
   */
  readonly emailMarketingConsent = new Map<number, "subscribed" | "unsubscribed">();
  private indexedOrders = 0;

  /** `firstId` lets several stores share one database in tests without their ids colliding. */
  constructor(
    readonly shop: SandboxShop,
    firstId = 1_000_001,
  ) {
    this.nextId = firstId;
  }

  newId(): number {
    return this.nextId++;
  }

  addCustomer(fields: Partial<SandboxCustomer> & Pick<SandboxCustomer, "email">, at = new Date()) {
    const now = at.toISOString();
    const customer: SandboxCustomer = {
      id: this.newId(),
      first_name: null,
      last_name: null,
      phone: null,
      state: "disabled",
      verified_email: true,
      currency: this.shop.currencyCode,
      created_at: now,
      updated_at: now,
      tags: "",
      note: null,
      ...fields,
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  /** Sets the customer's email consent; the customers_email_marketing_consent/update payload. */
  setEmailMarketingConsent(
    customer: SandboxCustomer,
    state: "subscribed" | "unsubscribed",
    at = new Date(),
  ) {
    this.emailMarketingConsent.set(customer.id, state);
    return {
      customer_id: customer.id,
      email_address: customer.email,
      email_marketing_consent: {
        state,
        opt_in_level: state === "subscribed" ? "single_opt_in" : null,
        consent_updated_at: at.toISOString(),
      },
    };
  }

  /** The customer's orders in the order they were added. */
  ordersOf(customerId: number): readonly SandboxOrder[] {
    // Rebuilt when `orders` was changed directly rather than through addPaidOrder.
    if (this.indexedOrders !== this.orders.size) {
      this.ordersByCustomer.clear();
      for (const order of this.orders.values()) this.indexOrder(order);
      this.indexedOrders = this.orders.size;
    }
    return this.ordersByCustomer.get(customerId) ?? [];
  }

  private indexOrder(order: SandboxOrder) {
    if (!order.customer) return;
    const list = this.ordersByCustomer.get(order.customer.id);
    if (list) list.push(order);
    else this.ordersByCustomer.set(order.customer.id, [order]);
  }

  addCollection(title: string, at = new Date()) {
    const collection: SandboxCollection = {
      id: this.newId(),
      title,
      handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      updated_at: at.toISOString(),
    };
    this.collections.set(collection.id, collection);
    return collection;
  }

  /** The product with this id, or a new one (each order line otherwise gets a new product). */
  product(title: string, productId?: number) {
    const existing = productId === undefined ? undefined : this.products.get(productId);
    if (existing) return existing;
    const product: SandboxProduct = {
      id: productId ?? this.newId(),
      title,
      collectionIds: new Set(),
      updated_at: new Date().toISOString(),
    };
    this.products.set(product.id, product);
    return product;
  }

  /**
   * Puts a product in a custom collection (Shopify's collectionAddProducts) and returns the
   * products/update webhook payload Shopify sends for the product (REST shape, trimmed).
   */
  addProductToCollection(productId: number, collectionId: number, at = new Date()) {
    const product = this.products.get(productId);
    if (!product) throw new Error(`no product ${productId}`);
    if (!this.collections.has(collectionId)) throw new Error(`no collection ${collectionId}`);
    product.collectionIds.add(collectionId);
    product.updated_at = at.toISOString();
    return this.productPayload(product);
  }

  productPayload(product: SandboxProduct) {
    return {
      id: product.id,
      admin_graphql_api_id: `gid://shopify/Product/${product.id}`,
      title: product.title,
      updated_at: product.updated_at,
    };
  }

  /**
   * A paid order for `customer` with the given line items (prices as decimal strings). `at` is
   * when it was created; `processedAt` (default `at`) is when it was placed, earlier for orders
   * imported from another platform. A line's `discount` is its line-level discount (total, not
   * per unit); `giftCard` marks a gift card sold on the line.
   */
  addPaidOrder(
    customer: SandboxCustomer | null,
    items: {
      title: string;
      price: string;
      quantity: number;
      productId?: number;
      discount?: string;
      giftCard?: boolean;
      sku?: string | null;
    }[],
    options: {
      shipping?: string;
      tax?: string;
      discountCodes?: SandboxOrder["discount_codes"];
      at?: Date;
      processedAt?: Date;
      /** Defaults to the shop's currency. */
      currency?: string;
      shippingAddress?: SandboxAddress | null;
      /**
       * Part of the total paid with the customer's Shopify store credit (minor units): debited
       * from their account, and "shopify_store_credit" among the order's payment gateways.
       */
      storeCreditMinor?: number;
      /** The cart's attributes, which Shopify carries onto the order as `note_attributes`. */
      noteAttributes?: SandboxOrder["note_attributes"];
      /** The email a guest (no customer) gave at checkout. */
      guestEmail?: string;
    } = {},
  ) {
    const at = (options.at ?? new Date()).toISOString();
    if (options.storeCreditMinor) {
      const account = customer
        ? this.adminApi.storeCreditAccountFor(
            customer.id,
            options.currency ?? this.shop.currencyCode,
          )
        : undefined;
      if (!account) throw new Error("store credit needs a customer with a store credit account");
      this.adminApi.debit(account, options.storeCreditMinor, options.at ?? new Date());
    }
    const currency = options.currency ?? this.shop.currencyCode;
    const id = this.newId();
    const orderNumber = 1000 + this.orders.size + 1;
    const lineItems: SandboxLineItem[] = items.map((item) => ({
      id: this.newId(),
      product_id: this.product(item.title, item.productId).id,
      variant_id: this.newId(),
      title: item.title,
      quantity: item.quantity,
      price: item.price,
      sku: item.sku ?? null,
      gift_card: item.giftCard ?? false,
      taxable: !(item.giftCard ?? false),
      total_discount: fromCents(toCents(item.discount ?? "0.00")),
    }));
    const subtotalCents = lineItems.reduce((sum, li) => sum + toCents(li.price) * li.quantity, 0);
    const discountCents =
      (options.discountCodes ?? []).reduce((s, d) => s + toCents(d.amount), 0) +
      lineItems.reduce((s, li) => s + toCents(li.total_discount), 0);
    const shippingCents = toCents(options.shipping ?? "0.00");
    const taxCents = toCents(options.tax ?? "0.00");
    const order: SandboxOrder = {
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${orderNumber}`,
      order_number: orderNumber,
      email: customer ? customer.email : (options.guestEmail ?? null),
      currency,
      presentment_currency: currency,
      financial_status: "paid",
      created_at: at,
      updated_at: at,
      processed_at: (options.processedAt ?? options.at ?? new Date()).toISOString(),
      cancelled_at: null,
      cancel_reason: null,
      subtotal_price: fromCents(subtotalCents - discountCents),
      total_price: fromCents(subtotalCents - discountCents + shippingCents + taxCents),
      total_tax: fromCents(taxCents),
      total_discounts: fromCents(discountCents),
      total_shipping_price_set: {
        shop_money: { amount: fromCents(shippingCents), currency_code: currency },
      },
      discount_codes: options.discountCodes ?? [],
      note_attributes: options.noteAttributes ?? [],
      payment_gateway_names: options.storeCreditMinor
        ? ["shopify_store_credit", "shopify_payments"]
        : ["shopify_payments"],
      line_items: lineItems,
      refunds: [],
      customer: customer
        ? {
            id: customer.id,
            email: customer.email,
            first_name: customer.first_name,
            last_name: customer.last_name,
            phone: customer.phone,
            state: customer.state,
            default_address: customer.default_address ?? null,
          }
        : null,
      shipping_address: options.shippingAddress ?? customer?.default_address ?? null,
      test: false,
    };
    this.orders.set(id, order);
    if (this.indexedOrders === this.orders.size - 1) {
      this.indexOrder(order);
      this.indexedOrders += 1;
    }
    return order;
  }

  /** Refunds `quantity` of one line item (its full price share), as Shopify's refunds/create carries it. */
  refundLineItem(order: SandboxOrder, lineItemId: number, quantity: number, at = new Date()) {
    const lineItem = order.line_items.find((li) => li.id === lineItemId);
    if (!lineItem) throw new Error(`order ${order.id} has no line item ${lineItemId}`);
    const refunded = order.refunds
      .flatMap((r) => r.refund_line_items)
      .filter((r) => r.line_item_id === lineItemId)
      .reduce((sum, r) => sum + r.quantity, 0);
    if (refunded + quantity > lineItem.quantity) {
      throw new Error(
        `only ${lineItem.quantity - refunded} of line item ${lineItemId} left to refund`,
      );
    }
    const amount = fromCents(toCents(lineItem.price) * quantity);
    const refund: SandboxRefund = {
      id: this.newId(),
      order_id: order.id,
      created_at: at.toISOString(),
      note: null,
      refund_line_items: [
        {
          id: this.newId(),
          line_item_id: lineItemId,
          quantity,
          subtotal: amount,
          total_tax: "0.00",
        },
      ],
      transactions: [
        { id: this.newId(), amount, kind: "refund", status: "success", currency: order.currency },
      ],
    };
    order.refunds.push(refund);
    order.financial_status = order.line_items.every(
      (li) =>
        order.refunds
          .flatMap((r) => r.refund_line_items)
          .filter((r) => r.line_item_id === li.id)
          .reduce((s, r) => s + r.quantity, 0) === li.quantity,
    )
      ? "refunded"
      : "partially_refunded";
    order.updated_at = at.toISOString();
    return refund;
  }

  /**
   * An order edit (https://shopify.dev/docs/apps/build/orders-fulfillment/order-editing): adds new
   * lines and takes units off existing ones. Returns the orders/edited webhook payload, which, like
   * Shopify's, names the deltas but carries no prices or totals.
   */
  editOrder(
    order: SandboxOrder,
    edit: {
      add?: { title: string; price: string; quantity: number }[];
      remove?: { lineItemId: number; quantity: number }[];
    },
    at = new Date(),
  ) {
    const added = (edit.add ?? []).map((item) => ({
      id: this.newId(),
      product_id: this.product(item.title).id,
      variant_id: this.newId(),
      title: item.title,
      quantity: item.quantity,
      price: item.price,
      sku: null,
      gift_card: false,
      taxable: true,
      total_discount: "0.00",
    }));
    order.line_items.push(...added);
    for (const removal of edit.remove ?? []) {
      const line = order.line_items.find((li) => li.id === removal.lineItemId);
      if (!line) throw new Error(`order ${order.id} has no line item ${removal.lineItemId}`);
      line.removed_quantity = (line.removed_quantity ?? 0) + removal.quantity;
    }
    const current = order.line_items.reduce(
      (sum, li) => sum + toCents(li.price) * (li.quantity - (li.removed_quantity ?? 0)),
      0,
    );
    order.subtotal_price = fromCents(current - toCents(order.total_discounts));
    order.total_price = fromCents(
      current -
        toCents(order.total_discounts) +
        toCents(order.total_shipping_price_set.shop_money.amount) +
        toCents(order.total_tax),
    );
    order.updated_at = at.toISOString();
    return {
      order_edit: {
        id: this.newId(),
        app_id: null,
        created_at: at.toISOString(),
        notify_customer: false,
        order_id: order.id,
        staff_note: "",
        user_id: null,
        line_items: {
          additions: added.map((li) => ({ id: li.id, delta: li.quantity })),
          removals: (edit.remove ?? []).map((r) => ({ id: r.lineItemId, delta: r.quantity })),
        },
        discounts: { line_item: { additions: [], removals: [] } },
        shipping_lines: { additions: [], removals: [] },
      },
    };
  }

  cancelOrder(order: SandboxOrder, reason = "customer", at = new Date()) {
    order.cancelled_at = at.toISOString();
    order.cancel_reason = reason;
    order.updated_at = order.cancelled_at;
    return order;
  }
}

export function toCents(amount: string): number {
  if (!/^-?\d+(\.\d{1,2})?$/.test(amount)) throw new Error(`not a money amount: "${amount}"`);
  const [whole = "0", fraction = ""] = amount.replace("-", "").split(".");
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return amount.startsWith("-") ? -cents : cents;
}

export function fromCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
