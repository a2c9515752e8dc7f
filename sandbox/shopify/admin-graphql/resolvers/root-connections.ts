/**
 * The QueryRoot connections the stand-in serves (`customers`, `orders`, `collections`), each as
 * "the matching records in order" plus "a record as a view". The normal resolvers page through
 * them; a bulk operation (bulk/runner.ts) lists them once and streams every record, so both read
 * the same data through the same views.
 */
import type { SandboxCustomer } from "../../store";
import { paginate } from "../connection";
import type { AdminContext, Resolver, View } from "../context";
import { collectionView, customerView, orderView } from "../views/index";
import { filterOrders, sortOrders } from "./order-search";

export interface RootConnection {
  /** Every record the arguments select (`query`, `sortKey`, `reverse`), in connection order. */
  list(args: Record<string, unknown>, ctx: AdminContext): readonly unknown[];
  id(item: unknown): number;
  view(ctx: AdminContext, item: unknown): View;
}

/** Typed at the definition, stored type-erased so one map can hold every connection. */
function define<T>(connection: {
  list(args: Record<string, unknown>, ctx: AdminContext): readonly T[];
  id(item: T): number;
  view(ctx: AdminContext, item: T): View;
}): RootConnection {
  return connection as unknown as RootConnection;
}

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

const customerSortKeys: Record<string, (c: SandboxCustomer) => string | number> = {
  ID: (c) => c.id,
  CREATED_AT: (c) => c.created_at,
  UPDATED_AT: (c) => c.updated_at,
  NAME: (c) => `${c.first_name ?? ""} ${c.last_name ?? ""}`.toLowerCase(),
};

const reversed = <T>(items: T[], args: Record<string, unknown>) =>
  args.reverse === true ? items.reverse() : items;

export const rootConnections: Readonly<Record<string, RootConnection>> = {
  customers: define<SandboxCustomer>({
    list: (args, ctx) => {
      const query = typeof args.query === "string" ? args.query.trim() : "";
      const sortKey = customerSortKeys[String(args.sortKey ?? "ID")] ?? customerSortKeys.ID!;
      const customers = [...ctx.store.customers.values()]
        .filter((c) => !query || matchesCustomerQuery(c, query))
        .sort((a, b) => {
          const ka = sortKey(a);
          const kb = sortKey(b);
          return ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
        });
      return reversed(customers, args);
    },
    id: (c) => c.id,
    view: customerView,
  }),

  // Shopify's default sort key for orders is PROCESSED_AT (QueryRoot.orders in the schema).
  orders: define({
    list: (args, ctx) =>
      reversed(
        sortOrders(filterOrders(ctx.store.orders.values(), args.query, ctx.now), args.sortKey),
        args,
      ),
    id: (o) => o.id,
    view: orderView,
  }),

  // sortKey ID (Shopify's default) or TITLE; `query` is not supported.
  collections: define({
    list: (args, ctx) =>
      reversed(
        [...ctx.store.collections.values()].sort((a, b) =>
          args.sortKey === "TITLE" ? a.title.localeCompare(b.title) || a.id - b.id : a.id - b.id,
        ),
        args,
      ),
    id: (c) => c.id,
    view: collectionView,
  }),
};

/** A QueryRoot connection resolver: one page of the root connection's records. */
export function rootConnectionResolver(name: string): Resolver {
  const connection = rootConnections[name];
  if (!connection) throw new Error(`no root connection ${name}`);
  // `reverse` is applied by list(); paginate must not reverse a second time.
  return (_source, args, ctx) =>
    paginate(
      connection.list(args, ctx),
      { ...args, reverse: false },
      (item) => connection.id(item),
      (item) => connection.view(ctx, item),
    );
}
