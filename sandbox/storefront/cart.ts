import type { SandboxCustomer, SandboxOrder } from "../shopify/store-records";
import type { SandboxStore } from "../shopify/store";
import type { WebhookSender } from "../shopify/webhook-sender";
import { PRODUCTS } from "./products";

// The simulated store's cart and checkout, as far as a loyalty journey needs them: a cart kept in
// a cookie (lines and attributes, set by forms and by Shopify's Ajax `/cart/update.js`), a
// checkout that takes a discount code the store knows and pays the order, and the orders/paid
// webhook with the cart's attributes as the order's `note_attributes`, as Shopify sends it.

export interface Cart {
  items: { handle: string; quantity: number }[];
  attributes: Record<string, string>;
}

const COOKIE = "sandbox_cart";

export function readCart(request: Request): Cart {
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([\\w-]+)`).exec(
    request.headers.get("cookie") ?? "",
  );
  if (!match?.[1]) return { items: [], attributes: {} };
  try {
    return JSON.parse(Buffer.from(match[1], "base64url").toString("utf8")) as Cart;
  } catch {
    return { items: [], attributes: {} };
  }
}

export function cartCookie(cart: Cart) {
  const value = Buffer.from(JSON.stringify(cart), "utf8").toString("base64url");
  return `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax`;
}

export const emptyCartCookie = `${COOKIE}=; Path=/; Max-Age=0`;

export function addToCart(cart: Cart, handle: string, quantity: number): Cart {
  if (!PRODUCTS.some((p) => p.handle === handle)) throw new CheckoutError("No such product");
  const items = cart.items.filter((i) => i.handle !== handle);
  const had = cart.items.find((i) => i.handle === handle)?.quantity ?? 0;
  return { ...cart, items: [...items, { handle, quantity: had + Math.max(1, quantity) }] };
}

/** `/cart/update.js`'s `attributes`: a blank value removes the attribute, as on Shopify. */
export function updateAttributes(cart: Cart, attributes: Record<string, unknown>): Cart {
  const next = { ...cart.attributes };
  for (const [name, value] of Object.entries(attributes)) {
    if (value === "" || value == null) delete next[name];
    else next[name] = String(value).slice(0, 255);
  }
  return { ...cart, attributes: next };
}

/** The cart's lines with prices (minor units), as the cart page and `/cart.js` show them. */
export function cartLines(cart: Cart) {
  return cart.items.flatMap((item) => {
    const product = PRODUCTS.find((p) => p.handle === item.handle);
    return product
      ? [{ ...product, quantity: item.quantity, line: product.price * item.quantity }]
      : [];
  });
}

export class CheckoutError extends Error {}

const decimal = (minor: number) => (minor / 100).toFixed(2);

/**
 * Pays the cart for a signed-in customer: a discount code must exist at the store, be open to
 * this customer and unused by them; its amount comes off the subtotal. Sends orders/create-less
 * orders/paid, as the app subscribes to it, and returns the order.
 */
export async function checkout(
  store: SandboxStore,
  webhooks: WebhookSender,
  customer: SandboxCustomer,
  cart: Cart,
  code: string,
): Promise<SandboxOrder> {
  const lines = cartLines(cart);
  if (lines.length === 0) throw new CheckoutError("Your cart is empty");
  const subtotal = lines.reduce((sum, l) => sum + l.line, 0);
  const discountCodes: SandboxOrder["discount_codes"] = [];
  if (code.trim()) {
    const discount = store.adminApi.discountByCode(code);
    const now = new Date();
    const usable =
      discount &&
      discount.startsAt <= now &&
      (!discount.endsAt || discount.endsAt > now) &&
      (discount.customers === "all" || discount.customers.includes(customer.id)) &&
      ![...store.orders.values()].some(
        (o) =>
          o.customer?.id === customer.id &&
          o.discount_codes.some((d) => d.code.toLowerCase() === code.trim().toLowerCase()),
      );
    if (!discount || !usable) throw new CheckoutError(`Enter a valid discount code`);
    const value = discount.value;
    const off =
      value.type === "percentage"
        ? Math.round(subtotal * value.percentage)
        : value.type === "fixedAmount"
          ? Math.min(subtotal, value.cents)
          : 0;
    discountCodes.push({
      code: discount.code,
      amount: decimal(off),
      type:
        value.type === "percentage"
          ? "percentage"
          : value.type === "fixedAmount"
            ? "fixed_amount"
            : "shipping",
    });
  }
  const order = store.addPaidOrder(
    customer,
    lines.map((l) => ({
      title: l.title,
      price: decimal(l.price),
      quantity: l.quantity,
      productId: l.id,
    })),
    {
      discountCodes,
      noteAttributes: Object.entries(cart.attributes).map(([name, value]) => ({ name, value })),
    },
  );
  await webhooks.send("orders/paid", order);
  return order;
}
