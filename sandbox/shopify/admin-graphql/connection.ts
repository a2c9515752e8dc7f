/**
 * Relay pagination as Shopify does it: `first`/`after` or `last`/`before`, opaque cursors, and
 * `edges`, `nodes` and `pageInfo` on every connection
 * (https://shopify.dev/docs/api/usage/pagination-graphql).
 */
import { GraphQLError } from "graphql";
import type { View } from "./context";

export interface PageArgs {
  first?: unknown;
  after?: unknown;
  last?: unknown;
  before?: unknown;
  reverse?: unknown;
}

// Shopify's cursors are base64 JSON of the last id and sort value; clients must treat them as opaque.
function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: String(id) })).toString("base64");
}

function decodeCursor(cursor: unknown): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(String(cursor), "base64").toString("utf8"));
    const id = (parsed as { last_id?: unknown } | null)?.last_id;
    if (typeof id === "number") return id;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor '${String(cursor)}'`, {
    extensions: { code: "argumentLiteralsIncompatible" },
  });
}

function count(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new GraphQLError(`Argument '${name}' must be a non-negative integer`);
  }
  return value;
}

/** One page of `items` (already in sort order) as a connection view. */
export function paginate<T>(
  items: readonly T[],
  args: PageArgs,
  idOf: (item: T) => number,
  toNode: (item: T) => View,
): View {
  const first = count(args.first, "first");
  const last = count(args.last, "last");
  if (first === null && last === null) {
    throw new GraphQLError("you must provide one of first or last", {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  let list = args.reverse === true ? [...items].reverse() : [...items];
  const start = args.after ? cursorIndex(list, decodeCursor(args.after), idOf) + 1 : 0;
  const end = args.before ? cursorIndex(list, decodeCursor(args.before), idOf) : list.length;
  let hasPreviousPage = start > 0;
  let hasNextPage = end < list.length;
  list = list.slice(start, Math.max(start, end));
  if (first !== null) {
    hasNextPage = hasNextPage || list.length > first;
    list = list.slice(0, first);
  }
  if (last !== null) {
    hasPreviousPage = hasPreviousPage || list.length > last;
    list = last === 0 ? [] : list.slice(-last);
  }
  // Cursors are built only when selected: a bulk export pages through every record.
  const edges = list.map((item) => ({
    cursor: () => encodeCursor(idOf(item)),
    node: toNode(item),
  }));
  const head = list[0];
  const tail = list.at(-1);
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: head === undefined ? null : encodeCursor(idOf(head)),
      endCursor: tail === undefined ? null : encodeCursor(idOf(tail)),
    },
  };
}

function cursorIndex<T>(list: readonly T[], id: number, idOf: (item: T) => number): number {
  const index = list.findIndex((item) => idOf(item) === id);
  if (index < 0) {
    throw new GraphQLError("Cursor does not point at an item of this connection", {
      extensions: { code: "argumentLiteralsIncompatible" },
    });
  }
  return index;
}
