/** QueryRoot fields the app reads. */
import { GraphQLError } from "graphql";
import type { SandboxCustomer } from "../../store";
import { paginate } from "../connection";
import type { Resolver } from "../context";
import {
  collectionView,
  customerView,
  discountNodeView,
  giftCardView,
  orderView,
  productView,
  shopView,
  storeCreditAccountView,
} from "../views/index";
import { idOfType, parseGid } from "../values";
import type { AdminContext } from "../context";

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

const NODES_LIMIT = 250;

function nodeView(ctx: AdminContext, id: unknown) {
  const { type, id: number } = parseGid(id);
  if (type === "Product") {
    const product = ctx.store.products.get(number);
    return product ? productView(ctx, product) : null;
  }
  if (type === "Collection") {
    const collection = ctx.store.collections.get(number);
    return collection ? collectionView(ctx, collection) : null;
  }
  if (type === "Customer") {
    const customer = ctx.store.customers.get(number);
    return customer ? customerView(ctx, customer) : null;
  }
  if (type === "Order") {
    const order = ctx.store.orders.get(number);
    return order ? orderView(ctx, order) : null;
  }
  return null;
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

  "QueryRoot.product": (_source, args, ctx) => {
    const id = idOfType(args.id, "Product");
    const product = id === null ? undefined : ctx.store.products.get(id);
    return product ? productView(ctx, product) : null;
  },

  // sortKey ID (Shopify's default) or TITLE; `query` is not supported.
  "QueryRoot.collections": (_source, args, ctx) =>
    paginate(
      [...ctx.store.collections.values()].sort((a, b) =>
        args.sortKey === "TITLE" ? a.title.localeCompare(b.title) || a.id - b.id : a.id - b.id,
      ),
      args,
      (c) => c.id,
      (c) => collectionView(ctx, c),
    ),

  // Shopify's limit on `ids` (https://shopify.dev/docs/api/admin-graphql/latest/queries/nodes);
  // an id of a type the stand-in does not serve through `nodes` resolves to null.
  "QueryRoot.nodes": (_source, args, ctx) => {
    const ids = Array.isArray(args.ids) ? args.ids : [];
    if (ids.length > NODES_LIMIT) {
      throw new GraphQLError(
        `The input array size of ${ids.length} is greater than the maximum allowed of ${NODES_LIMIT}.`,
        {
          extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
        },
      );
    }
    return ids.map((id) => nodeView(ctx, id));
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
