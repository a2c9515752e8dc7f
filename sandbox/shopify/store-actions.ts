import { z } from "zod";
import type { SandboxStore } from "./store";
import type { WebhookSender } from "./webhook-sender";

/**
 * What a person can do in the simulated store, each followed by the webhooks Shopify would send.
 * Used by the store page and by tests, so both exercise the same path into the app.
 */
const Action = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("create-customer"),
    first_name: z.string().min(1),
    last_name: z.string().default(""),
    email: z.email(),
  }),
  z.object({ action: z.literal("register-customer"), customerId: z.coerce.number() }),
  z.object({
    action: z.literal("email-consent"),
    customerId: z.coerce.number(),
    state: z.enum(["subscribed", "unsubscribed"]),
  }),
  z.object({
    action: z.literal("place-order"),
    customerId: z.coerce.number(),
    amount: z.string().regex(/^\d+(\.\d{1,2})?$/, "an amount like 49.90"),
    quantity: z.coerce.number().int().min(1).default(1),
  }),
  z.object({
    action: z.literal("refund-order"),
    orderId: z.coerce.number(),
    quantity: z.coerce.number().int().min(1).default(1),
  }),
  z.object({ action: z.literal("cancel-order"), orderId: z.coerce.number() }),
  z.object({
    action: z.literal("add-to-collection"),
    orderId: z.coerce.number(),
    collection: z.string().trim().min(1, "a collection title"),
  }),
  z.object({ action: z.literal("request-customer-data"), customerId: z.coerce.number() }),
  z.object({ action: z.literal("redact-customer"), customerId: z.coerce.number() }),
  z.object({ action: z.literal("redeliver"), webhookId: z.string().min(1) }),
  z.object({
    action: z.literal("flow-add-points"),
    customerId: z.coerce.number(),
    points: z.coerce.number().int().positive().default(100),
  }),
]);

export type StoreAction = z.input<typeof Action>;

export async function performStoreAction(
  store: SandboxStore,
  sender: WebhookSender,
  input: unknown,
) {
  const parsed = Action.safeParse(input);
  if (!parsed.success) {
    throw new StoreActionError(
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  }
  const command = parsed.data;
  switch (command.action) {
    case "create-customer": {
      const customer = store.addCustomer(command);
      return [await sender.send("customers/create", customer)];
    }
    case "register-customer": {
      const customer = customerOf(store, command.customerId);
      customer.state = "enabled";
      customer.updated_at = new Date().toISOString();
      return [
        await sender.send("customers/enable", customer),
        await sender.send("customers/update", customer),
      ];
    }
    case "email-consent": {
      const customer = customerOf(store, command.customerId);
      const payload = store.setEmailMarketingConsent(customer, command.state);
      return [await sender.send("customers_email_marketing_consent/update", payload)];
    }
    case "place-order": {
      const customer = customerOf(store, command.customerId);
      const order = store.addPaidOrder(customer, [
        { title: "Sandbox product", price: command.amount, quantity: command.quantity },
      ]);
      return [await sender.send("orders/paid", order)];
    }
    case "refund-order": {
      const order = orderOf(store, command.orderId);
      const lineItem = order.line_items[0];
      if (!lineItem) throw new StoreActionError(`order ${order.id} has no line items`);
      try {
        const refund = store.refundLineItem(order, lineItem.id, command.quantity);
        return [await sender.send("refunds/create", refund)];
      } catch (error) {
        throw new StoreActionError((error as Error).message);
      }
    }
    case "cancel-order": {
      const order = store.cancelOrder(orderOf(store, command.orderId));
      return [await sender.send("orders/cancelled", order)];
    }
    case "add-to-collection": {
      // The first line's product goes into the custom collection of that title (made if new).
      const product = orderOf(store, command.orderId).line_items[0];
      if (!product) throw new StoreActionError(`order ${command.orderId} has no line items`);
      const collection =
        [...store.collections.values()].find((c) => c.title === command.collection) ??
        store.addCollection(command.collection);
      const payload = store.addProductToCollection(product.product_id, collection.id);
      return [await sender.send("products/update", payload)];
    }
    case "request-customer-data": {
      const customer = customerOf(store, command.customerId);
      const orders = [...store.orders.values()].filter((o) => o.customer?.id === customer.id);
      return [
        await sender.send("customers/data_request", {
          shop_id: store.shop.id,
          shop_domain: store.shop.domain,
          orders_requested: orders.map((o) => o.id),
          customer: { id: customer.id, email: customer.email, phone: customer.phone },
          data_request: { id: store.newId() },
        }),
      ];
    }
    case "redact-customer": {
      const customer = customerOf(store, command.customerId);
      const orders = [...store.orders.values()].filter((o) => o.customer?.id === customer.id);
      return [
        await sender.send("customers/redact", {
          shop_id: store.shop.id,
          shop_domain: store.shop.domain,
          customer: { id: customer.id, email: customer.email, phone: customer.phone },
          orders_to_redact: orders.map((o) => o.id),
        }),
      ];
    }
    case "flow-add-points": {
      const customer = customerOf(store, command.customerId);
      return [
        await sender.runFlowAction("loyalty-add-points", "/flow/add-points", {
          customer_id: String(customer.id),
          points: command.points,
          note: "Sent from the simulated store's Flow button",
        }),
      ];
    }
    case "redeliver":
      return [await sender.redeliver(command.webhookId)];
  }
}

export class StoreActionError extends Error {}

function customerOf(store: SandboxStore, id: number) {
  const customer = store.customers.get(id);
  if (!customer) throw new StoreActionError(`no customer ${id}`);
  return customer;
}

function orderOf(store: SandboxStore, id: number) {
  const order = store.orders.get(id);
  if (!order) throw new StoreActionError(`no order ${id}`);
  return order;
}
