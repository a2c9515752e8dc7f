/**
 * JSON:API plumbing in Klaviyo's dialect: error documents, the `filter`
 * query language (the subset list endpoints use here) and opaque page cursors.
 */
import { randomUUID } from "node:crypto";
import type { Json, JsonObject } from "./model";

export interface ApiError {
  status: number;
  code: string;
  title: string;
  detail: string;
  pointer?: string;
  parameter?: string;
  meta?: JsonObject;
}

/** Thrown by route handlers; the server turns it into an error document. */
export class HttpError extends Error {
  constructor(readonly errors: ApiError[]) {
    super(errors[0]?.detail ?? "error");
  }
  get status(): number {
    return this.errors[0]?.status ?? 500;
  }
}

export function invalidInput(pointer: string, detail: string): ApiError {
  return { status: 400, code: "invalid", title: "Invalid input.", detail, pointer };
}

export function invalidParameter(parameter: string, detail: string): ApiError {
  return { status: 400, code: "invalid", title: "Invalid input.", detail, parameter };
}

export function errorDocument(errors: ApiError[]): JsonObject {
  return {
    errors: errors.map((e) => {
      const source: JsonObject = {};
      if (e.pointer !== undefined) source.pointer = e.pointer;
      if (e.parameter !== undefined) source.parameter = e.parameter;
      const out: JsonObject = {
        id: randomUUID(),
        status: e.status,
        code: e.code,
        title: e.title,
        detail: e.detail,
      };
      if (Object.keys(source).length > 0) out.source = source;
      out.links = {};
      out.meta = e.meta ?? {};
      return out;
    }),
  };
}

/**
 * A deep copy of a parsed JSON value, so what the account stores does not share objects with the
 * request log. Several times cheaper than structuredClone for the stand-in's flat property bags
 * (one per event in a 1,000-event bulk request). `__proto__` stays an own key, as JSON.parse makes it.
 */
export function copyJson<T extends Json>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) {
    const child = copyJson(value[key]!);
    if (key === "__proto__") {
      Object.defineProperty(copy, key, {
        value: child,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else copy[key] = child;
  }
  return copy as T;
}

// --- filter ---------------------------------------------------------------------------

export interface FilterCondition {
  operator: "equals" | "any";
  field: string;
  values: string[];
}

const CONDITION = /^(equals|any)\(\s*([\w.$-]+)\s*,\s*(.+)\)$/;

function parseValues(raw: string): string[] | undefined {
  const text = raw.trim();
  const inner = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const values: string[] = [];
  const literal = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(?:,|$)/y;
  while (literal.lastIndex < inner.length) {
    const m = literal.exec(inner);
    if (!m) return undefined;
    values.push((m[1] ?? m[2] ?? "").replace(/\\(.)/g, "$1"));
  }
  return values.length > 0 ? values : undefined;
}

/** Splits `a(..),b(..)` at top-level commas; Klaviyo ANDs the conditions. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

export function parseFilter(
  raw: string | null,
  allowed: Record<string, readonly FilterCondition["operator"][]>,
): FilterCondition[] {
  if (raw === null || raw.trim() === "") return [];
  let text = raw.trim();
  const and = /^and\((.*)\)$/s.exec(text);
  if (and?.[1] !== undefined) text = and[1];
  return splitTopLevel(text).map((part) => {
    const m = CONDITION.exec(part);
    const values = m?.[3] === undefined ? undefined : parseValues(m[3]);
    if (!m || !values) {
      throw new HttpError([invalidParameter("filter", `Invalid filter expression: ${part}`)]);
    }
    const operator = m[1] as FilterCondition["operator"];
    const field = m[2] ?? "";
    if (!allowed[field]?.includes(operator)) {
      throw new HttpError([
        invalidParameter(
          "filter",
          `'${operator}' is not a valid operator for the field '${field}'.`,
        ),
      ]);
    }
    return { operator, field, values };
  });
}

export function matchesFilter(conditions: FilterCondition[], read: (field: string) => unknown) {
  return conditions.every((c) => {
    const actual = read(c.field);
    return typeof actual === "string" && c.values.includes(actual);
  });
}

// --- pagination -----------------------------------------------------------------------

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString("base64url");
}

/**
 * The SDK only unwraps a full `links.next` URL passed as pageCursor when it contains
 * "https://"; against a local http stand-in the whole URL arrives, so accept that form too.
 */
export function decodeCursor(raw: string | null): number {
  if (raw === null || raw === "") return 0;
  let token = raw;
  if (/^https?:\/\//.test(raw)) token = new URL(raw).searchParams.get("page[cursor]") ?? "";
  const m = /^o:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!m) throw new HttpError([invalidParameter("page[cursor]", "Invalid page cursor.")]);
  return Number(m[1]);
}

export function collectionLinks(
  requestUrl: URL,
  base: string,
  offset: number,
  size: number,
  total: number,
): JsonObject {
  const link = (cursorOffset: number) => {
    const url = new URL(requestUrl.pathname + requestUrl.search, base);
    url.searchParams.set("page[cursor]", encodeCursor(cursorOffset));
    return url.toString();
  };
  const links: JsonObject = {
    self: new URL(requestUrl.pathname + requestUrl.search, base).toString(),
  };
  if (offset + size < total) links.next = link(offset + size);
  if (offset > 0) links.prev = link(Math.max(0, offset - size));
  return links;
}
