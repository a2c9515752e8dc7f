/** QueryRoot fields the app reads. */
import type { SandboxCustomer } from "../../store";
import { paginate } from "../connection";
import type { Resolver } from "../context";
import {
  customerView,
  discountNodeView,
  giftCardView,
  orderView,
  shopView,
  storeCreditAccountView,
} from "../views/index";
import { idOfType } from "../values";

/**
 * The subset of Shopify's customer search syntax the sandbox needs
 * (https://shopify.dev/docs/api/usage/search-syntax): `email:`, `id:`, `first_name:`,
 * `last_name:`, `tag:`, `state:` and bare words matched against name and email. Terms are ANDed.
 */
export function matchesCustomerQuery(customer: SandboxCustomer, query: string): boolean {
  const terms = query.match(/(?:[^\s"]+:)?(?:"[^"]*"|\S+)/g) ?? [];
  return terms.every((term) => {
    const colon = term.indexOf(":");
    const field = colon > 0 ? term.slice(0, colon).toLowerCase() : "";
    const value = (colon > 0 ? term.slice(colon + 1) : term).replace(/^"|"$/g, "").toLowerCase();
    const text = (s: string | null) => (s ?? "").toLowerCase();
    switch (field) {
      case "email":
        return text(customer.email) === value;
      case "id":
        return String(customer.id) === value;
      case "first_name":
        return text(customer.first_name) === value;
      case "last_name":
        return text(customer.last_name) === value;
      case "state":
        return customer.state === value;
      case "tag":
        return customer.tags.split(",").some((t) => t.trim().toLowerCase() === value);
      default: {
        const haystack = [customer.email, customer.first_name, customer.last_name].map(text);
        return haystack.some((s) => s.includes(value));
      }
    }
  });
}

const sortKeys: Record<string, (c: SandboxCustomer) => string | number> = {
  ID: (c) => c.id,
  CREATED_AT: (c) => c.created_at,
  UPDATED_AT: (c) => c.updated_at,
  NAME: (c) => `${c.first_name ?? ""} ${c.last_name ?? ""}`.toLowerCase(),
};

export const queryResolvers: Record<string, Resolver> = {
  "QueryRoot.shop": (_source, _args, ctx) => shopView(ctx),

  "QueryRoot.customer": (_source, args, ctx) => {
    const id = idOfType(args.id, "Customer");
    const customer = id === null ? undefined : ctx.store.customers.get(id);
    return customer ? customerView(ctx, customer) : null;
  },

  "QueryRoot.customers": (_source, args, ctx) => {
    const query = typeof args.query === "string" ? args.query.trim() : "";
    const sortKey = sortKeys[String(args.sortKey ?? "ID")] ?? sortKeys.ID!;
    const customers = [...ctx.store.customers.values()]
      .filter((c) => !query || matchesCustomerQuery(c, query))
      .sort((a, b) => {
        const ka = sortKey(a);
        const kb = sortKey(b);
        return ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
      });
    return paginate(
      customers,
      args,
      (c) => c.id,
      (c) => customerView(ctx, c),
    );
  },

  "QueryRoot.order": (_source, args, ctx) => {
    const id = idOfType(args.id, "Order");
    const order = id === null ? undefined : ctx.store.orders.get(id);
    return order ? orderView(ctx, order) : null;
  },

  "QueryRoot.codeDiscountNode": (_source, args, ctx) => {
    const id = idOfType(args.id, "DiscountCodeNode");
    const record = id === null ? undefined : ctx.state.discountCodes.get(id);
    return record ? discountNodeView(ctx, record) : null;
  },

  "QueryRoot.codeDiscountNodeByCode": (_source, args, ctx) => {
    const record = ctx.state.discountByCode(String(args.code));
    return record ? discountNodeView(ctx, record) : null;
  },

  "QueryRoot.giftCard": (_source, args, ctx) => {
    const id = idOfType(args.id, "GiftCard");
    const record = id === null ? undefined : ctx.state.giftCards.get(id);
    return record ? giftCardView(ctx, record) : null;
  },

  "QueryRoot.storeCreditAccount": (_source, args, ctx) => {
    const id = idOfType(args.id, "StoreCreditAccount");
    const account = id === null ? undefined : ctx.state.storeCreditAccounts.get(id);
    return account ? storeCreditAccountView(ctx, account) : null;
  },
};
