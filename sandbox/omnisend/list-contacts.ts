/**
 * `GET /contacts`: filters (email, phone, status, segmentID, tag, updatedAtFrom), sorting and
 * opaque cursors, answered in the `ListContactsResponse` shape. The contract's filter
 * restrictions are enforced: `tag` with `status`, and `updatedAtFrom` with any other filter,
 * are 400s. The stand-in has no segments, so `segmentID` matches nothing.
 */
import type { BrandState } from "./brand-state";
import { identifierKey } from "./brand-state";
import { toContactResponse } from "./contacts";
import { parseEventTime } from "./field-rules";
import type { StoredContact } from "./model";
import type { FieldError } from "./problems";
import { failValidation } from "./problems";
import type { RouteContext, RouteResult } from "./route-types";

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 250;
const STATUSES = ["subscribed", "unsubscribed", "nonSubscribed"];
const FILTERS = ["email", "phone", "status", "segmentID", "tag"] as const;

interface ListQuery {
  limit: number;
  sort: "createdAt" | "updatedAt";
  direction: "asc" | "desc";
  after?: string;
  before?: string;
  filter: (contact: StoredContact) => boolean;
}

function encodeCursor(contactId: string): string {
  return Buffer.from(JSON.stringify({ id: contactId })).toString("base64url");
}

function decodeCursor(cursor: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    const id = (parsed as { id?: unknown } | null)?.id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

function hasIdentifier(contact: StoredContact, key: string): boolean {
  return contact.identifiers.some((i) => identifierKey(i.type, i.id) === key);
}

function parseQuery(params: URLSearchParams): ListQuery {
  const errors: FieldError[] = [];
  const bad = (field: string, message: string, code = "invalid_value") =>
    errors.push({ field, code, message });

  const rawLimit = params.get("limit");
  const limit = rawLimit === null ? DEFAULT_PAGE_SIZE : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    bad("limit", `Must be an integer from 1 to ${MAX_PAGE_SIZE}.`, "out_of_range");
  }
  const sort = params.get("sort") ?? "createdAt";
  if (sort !== "createdAt" && sort !== "updatedAt") bad("sort", "Must be createdAt or updatedAt.");
  const direction = params.get("direction") ?? "desc";
  if (direction !== "asc" && direction !== "desc") bad("direction", "Must be asc or desc.");

  const status = params.get("status");
  if (status !== null && !STATUSES.includes(status)) {
    bad("status", `Must be one of: ${STATUSES.join(", ")}.`);
  }
  if (status !== null && params.has("tag")) {
    bad("tag", "tag and status cannot be used together.", "conflicting_filters");
  }
  const updatedAtFrom = params.get("updatedAtFrom");
  const updatedFromMs = updatedAtFrom === null ? undefined : parseEventTime(updatedAtFrom);
  if (updatedAtFrom !== null && updatedFromMs === undefined) {
    bad("updatedAtFrom", "Must be an RFC 3339 timestamp.", "invalid_format");
  }
  if (updatedAtFrom !== null && FILTERS.some((f) => params.has(f))) {
    const message = "updatedAtFrom cannot be combined with email, phone, status, segmentID or tag.";
    bad("updatedAtFrom", message, "conflicting_filters");
  }
  for (const name of ["after", "before"] as const) {
    const cursor = params.get(name);
    if (cursor !== null && decodeCursor(cursor) === undefined) {
      bad(name, "Invalid cursor.", "invalid_format");
    }
  }
  if (errors.length > 0) failValidation(errors);

  const email = params.get("email");
  const phone = params.get("phone");
  const tag = params.get("tag");
  const filter = (c: StoredContact): boolean =>
    (email === null || hasIdentifier(c, identifierKey("email", email))) &&
    (phone === null || hasIdentifier(c, identifierKey("phone", phone))) &&
    (status === null ||
      c.identifiers.find((i) => i.type === "email")?.channels.email?.status === status) &&
    (tag === null || c.tags.includes(tag)) &&
    !params.has("segmentID") &&
    (updatedFromMs === undefined || Date.parse(c.updatedAt) >= updatedFromMs);

  return {
    limit,
    sort: sort as ListQuery["sort"],
    direction: direction as ListQuery["direction"],
    after: params.get("after") ?? undefined,
    before: params.get("before") ?? undefined,
    filter,
  };
}

function sortedMatches(state: BrandState, query: ListQuery): StoredContact[] {
  // Creation order breaks ties, so equal timestamps still page deterministically.
  const matches = state.contacts.filter(query.filter);
  const sign = query.direction === "asc" ? 1 : -1;
  const order = new Map(matches.map((c, i) => [c.id, i]));
  return matches.sort(
    (a, b) =>
      sign * (a[query.sort].localeCompare(b[query.sort]) || order.get(a.id)! - order.get(b.id)!),
  );
}

/** Where a cursor's contact sits in the sorted list; 400 if it is no longer there. */
function cursorIndex(all: StoredContact[], cursor: string, field: string): number {
  const id = decodeCursor(cursor);
  const index = all.findIndex((c) => c.id === id);
  if (index === -1) {
    failValidation([{ field, code: "invalid_value", message: "The cursor's contact is gone." }]);
  }
  return index;
}

/** [start, end) of the page: after a cursor, before one, or from the top. */
function pageBounds(all: StoredContact[], query: ListQuery): [number, number] {
  if (query.after !== undefined) {
    const start = cursorIndex(all, query.after, "after") + 1;
    return [start, Math.min(all.length, start + query.limit)];
  }
  if (query.before !== undefined) {
    const end = cursorIndex(all, query.before, "before");
    return [Math.max(0, end - query.limit), end];
  }
  return [0, Math.min(all.length, query.limit)];
}

export function listContacts({ state, url }: RouteContext): RouteResult {
  const query = parseQuery(url.searchParams);
  const all = sortedMatches(state, query);
  const [start, end] = pageBounds(all, query);
  const page = all.slice(start, end);
  const hasMore = end < all.length;
  return {
    status: 200,
    body: {
      contacts: page.map(toContactResponse),
      paging: {
        cursors: {
          after: hasMore && page.length > 0 ? encodeCursor(page.at(-1)!.id) : null,
          before: start > 0 && page.length > 0 ? encodeCursor(page[0]!.id) : null,
        },
        hasMore,
        limit: query.limit,
      },
    },
  };
}
