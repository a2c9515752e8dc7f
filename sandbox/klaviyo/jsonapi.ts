/**
 * JSON:API plumbing in Klaviyo's dialect: error documents, resource serializers, the `filter`
 * query language (the subset list endpoints use here) and opaque page cursors.
 */
import { randomUUID } from "node:crypto";
import type {
  AccountSettings,
  ImportError,
  JsonObject,
  ProfileImportJob,
  StoredList,
  StoredMetric,
  StoredProfile,
} from "./model";

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

// --- serializers ------------------------------------------------------------------------

export function profileResource(p: StoredProfile, base: string, extra: Set<string>): JsonObject {
  const attributes: JsonObject = {
    email: p.email,
    phone_number: p.phone_number,
    external_id: p.external_id,
    first_name: p.first_name,
    last_name: p.last_name,
    organization: p.organization,
    locale: p.locale,
    title: p.title,
    image: p.image,
    created: p.created,
    updated: p.updated,
    last_event_date: p.last_event_date,
    location: p.location,
    properties: structuredClone(p.properties),
  };
  if (extra.has("subscriptions")) attributes.subscriptions = subscriptionsView(p);
  if (extra.has("predictive_analytics")) attributes.predictive_analytics = null;
  const self = `${base}/api/profiles/${p.id}/`;
  return {
    type: "profile",
    id: p.id,
    attributes,
    relationships: {
      lists: { links: { self: `${self}relationships/lists/`, related: `${self}lists/` } },
      segments: { links: { self: `${self}relationships/segments/`, related: `${self}segments/` } },
    },
    links: { self },
  };
}

function subscriptionsView(p: StoredProfile): JsonObject {
  const email = p.subscriptions["email.marketing"];
  const sms = p.subscriptions["sms.marketing"];
  return {
    email: {
      marketing: {
        can_receive_email_marketing: email !== undefined,
        consent: email ? "SUBSCRIBED" : "NEVER_SUBSCRIBED",
        consent_timestamp: email?.consented_at ?? null,
        method: email?.method ?? null,
        method_detail: email?.custom_source ?? "",
        suppression: [],
        list_suppressions: [],
      },
    },
    sms: {
      marketing: {
        can_receive_sms_marketing: sms !== undefined,
        consent: sms ? "SUBSCRIBED" : "NEVER_SUBSCRIBED",
        consent_timestamp: sms?.consented_at ?? null,
        method: sms?.method ?? null,
        method_detail: sms?.custom_source ?? "",
      },
    },
  };
}

export function metricResource(m: StoredMetric, base: string): JsonObject {
  return {
    type: "metric",
    id: m.id,
    attributes: { name: m.name, created: m.created, updated: m.updated, integration: { ...m.integration } },
    relationships: {},
    links: { self: `${base}/api/metrics/${m.id}/` },
  };
}

export function listResource(l: StoredList, base: string): JsonObject {
  return {
    type: "list",
    id: l.id,
    attributes: { name: l.name, created: l.created, updated: l.updated, opt_in_process: l.opt_in_process },
    relationships: {},
    links: { self: `${base}/api/lists/${l.id}/` },
  };
}

export function importJobResource(j: ProfileImportJob, base: string): JsonObject {
  const self = `${base}/api/profile-bulk-import-jobs/${j.id}/`;
  return {
    type: "profile-bulk-import-job",
    id: j.id,
    attributes: {
      status: j.status,
      created_at: j.created_at,
      total_count: j.total_count,
      completed_count: j.completed_count,
      failed_count: j.failed_count,
      completed_at: j.completed_at,
      expires_at: j.expires_at,
      started_at: j.started_at,
    },
    relationships: {
      lists: {
        data: j.list_ids.map((id) => ({ type: "list", id })),
        links: { self: `${self}relationships/lists/`, related: `${self}lists/` },
      },
      profiles: { links: { self: `${self}relationships/profiles/`, related: `${self}profiles/` } },
      "import-errors": { links: { related: `${self}import-errors/` } },
    },
    links: { self },
  };
}

export function importErrorResource(e: ImportError): JsonObject {
  return {
    type: "import-error",
    id: e.id,
    attributes: {
      code: e.code,
      title: e.title,
      detail: e.detail,
      source: { pointer: e.pointer },
      original_payload: e.original_payload,
    },
  };
}

export function accountResource(a: AccountSettings, base: string): JsonObject {
  return {
    type: "account",
    id: a.id,
    attributes: {
      test_account: a.test_account,
      contact_information: {
        default_sender_name: a.default_sender_name,
        default_sender_email: a.default_sender_email,
        website_url: a.website_url,
        organization_name: a.organization_name,
        street_address: { address1: null, address2: null, city: null, region: null, country: null, zip: null },
      },
      industry: a.industry,
      timezone: a.timezone,
      preferred_currency: a.preferred_currency,
      public_api_key: a.id,
      locale: a.locale,
    },
    links: { self: `${base}/api/accounts/${a.id}/` },
  };
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
        invalidParameter("filter", `'${operator}' is not a valid operator for the field '${field}'.`),
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
  const links: JsonObject = { self: new URL(requestUrl.pathname + requestUrl.search, base).toString() };
  if (offset + size < total) links.next = link(offset + size);
  if (offset > 0) links.prev = link(Math.max(0, offset - size));
  return links;
}
