/**
 * `orders(query:)` and `orders(sortKey:)` for the filters an app's history import and lookups use.
 * The filter names and values are the ones listed on QueryRoot.orders' `query` argument in the
 * 2026-10 schema; any other filter is a STAND_IN_NOT_IMPLEMENTED error rather than being ignored,
 * since ignoring it would return orders the app did not ask for.
 */
import type { SandboxOrder } from "../../store";
import type { SearchTerm } from "../search-terms";
import { compare, notImplemented, parseSearch, timeValue } from "../search-terms";

const CONNECTION = "orders";

function numericId(value: string): number {
  const gid = /^gid:\/\/shopify\/\w+\/(\d+)$/.exec(value);
  return Number(gid ? gid[1] : value);
}

function matchesTerm(order: SandboxOrder, term: SearchTerm, now: Date): boolean {
  const value = term.value.toLowerCase();
  const time = (at: string) =>
    compare(Date.parse(at), term.comparator, timeValue(term.value, now, CONNECTION));
  switch (term.field) {
    case "created_at":
      return time(order.created_at);
    case "processed_at":
      return time(order.processed_at);
    case "updated_at":
      return time(order.updated_at);
    case "id":
      return compare(order.id, term.comparator, numericId(term.value));
    case "customer_id":
      return order.customer !== null && order.customer.id === numericId(term.value);
    case "email":
      return (order.email ?? "").toLowerCase() === value;
    case "financial_status":
      return order.financial_status === value;
    case "name":
      return order.name.replace(/^#/, "").toLowerCase() === value.replace(/^#/, "");
    case "test":
      return String(order.test) === value;
    // The stand-in never closes (archives) orders, so every order is "not closed".
    case "status":
      if (value === "cancelled") return order.cancelled_at !== null;
      if (value === "open") return order.cancelled_at === null;
      if (value === "closed") return false;
      if (value === "not_closed") return true;
      throw notImplemented(CONNECTION, `status:${term.value}`);
    case "":
      return [order.name, order.email ?? ""].some((s) => s.toLowerCase().includes(value));
    default:
      throw notImplemented(CONNECTION, `the filter "${term.field}"`);
  }
}

export function filterOrders(
  orders: Iterable<SandboxOrder>,
  query: unknown,
  now: Date,
): SandboxOrder[] {
  const terms = parseSearch(query, CONNECTION);
  const matching: SandboxOrder[] = [];
  for (const order of orders) {
    if (terms.every((term) => matchesTerm(order, term, now))) matching.push(order);
  }
  return matching;
}

const ORDER_SORT_KEYS: Record<string, (o: SandboxOrder) => string | number> = {
  PROCESSED_AT: (o) => o.processed_at,
  CREATED_AT: (o) => o.created_at,
  UPDATED_AT: (o) => o.updated_at,
  ID: (o) => o.id,
  ORDER_NUMBER: (o) => o.order_number,
};

/** The orders sorted by Shopify's sort key (PROCESSED_AT by default), ties by id. */
export function sortOrders(orders: SandboxOrder[], sortKey: unknown): SandboxOrder[] {
  const name = typeof sortKey === "string" ? sortKey : "PROCESSED_AT";
  const key = ORDER_SORT_KEYS[name];
  if (!key) throw notImplemented(CONNECTION, `sortKey ${name}`);
  // Timestamps are ISO strings in UTC, so they sort as text; decorate once for large stores.
  return orders
    .map((order) => ({ order, key: key(order) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.order.id - b.order.id))
    .map((entry) => entry.order);
}
