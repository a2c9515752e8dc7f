/**
 * The route table: which Klaviyo operations the stand-in serves, their payload caps, and the
 * read-only endpoints (accounts, metrics, lists). Paths come from the OpenAPI contract so a
 * renamed path in a new revision fails loudly instead of silently 404ing.
 */
import type { AccountState } from "./account-state";
import {
  HttpError,
  collectionLinks,
  decodeCursor,
  invalidParameter,
  matchesFilter,
  parseFilter,
} from "./jsonapi";
import type { JsonObject, MetricIntegration } from "./model";
import type { KlaviyoContract, KlaviyoOperation } from "./openapi";
import { asObject } from "./profiles";
import { bulkCreateEvents, createEvent } from "./routes-events";
import { getProfilesForList, removeProfilesFromList } from "./routes-lists";
import {
  bulkImportProfiles,
  bulkSubscribeProfiles,
  createOrUpdateProfile,
  getBulkImportProfilesJob,
  getImportJobErrors,
} from "./routes-profiles";
import { accountResource, listResource, metricResource } from "./serializers";

export interface RouteContext {
  state: AccountState;
  /** Absolute origin of the stand-in, for JSON:API links. */
  base: string;
  url: URL;
  params: Record<string, string>;
  /** The validated request body; `{}` for GET. */
  body: JsonObject;
  /** Integration new metrics are attributed to (API for private keys, the app for OAuth). */
  integration: MetricIntegration;
}

export interface RouteResult {
  status: number;
  body?: JsonObject;
}

export interface Route {
  operation: KlaviyoOperation;
  method: string;
  pattern: RegExp;
  /** Largest accepted body in bytes, from the endpoint's documented payload limit. */
  maxBytes: number;
  handle: (ctx: RouteContext) => RouteResult;
}

const MB = 1024 * 1024;
const KB = 1024;
export const METRICS_PAGE_SIZE = 200;

const HANDLERS: Record<KlaviyoOperation, { maxBytes: number; handle: Route["handle"] }> = {
  create_event: { maxBytes: 5 * MB, handle: createEvent },
  bulk_create_events: { maxBytes: 5 * MB, handle: bulkCreateEvents },
  create_or_update_profile: { maxBytes: 100 * KB, handle: createOrUpdateProfile },
  bulk_import_profiles: { maxBytes: 5 * MB, handle: bulkImportProfiles },
  get_bulk_import_profiles_job: { maxBytes: 0, handle: getBulkImportProfilesJob },
  get_errors_for_bulk_import_profiles_job: { maxBytes: 0, handle: getImportJobErrors },
  get_metrics: { maxBytes: 0, handle: getMetrics },
  get_accounts: { maxBytes: 0, handle: getAccounts },
  bulk_subscribe_profiles: { maxBytes: 5 * MB, handle: bulkSubscribeProfiles },
  get_lists: { maxBytes: 0, handle: getLists },
  create_list: { maxBytes: 100 * KB, handle: createList },
  get_profiles_for_list: { maxBytes: 0, handle: getProfilesForList },
  remove_profiles_from_list: { maxBytes: 5 * MB, handle: removeProfilesFromList },
};

/** `/api/x/{id}` → `^/api/x/(?<id>[^/]+)$`; a trailing slash is optional, as on Klaviyo. */
export function pathPattern(template: string): RegExp {
  const escaped = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part);
      return param ? `(?<${param[1]}>[^/]+)` : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${escaped}/?$`);
}

export function buildRoutes(contract: KlaviyoContract): Route[] {
  return (Object.keys(HANDLERS) as KlaviyoOperation[]).map((operation) => {
    const op = contract.operation(operation);
    return { operation, method: op.method, pattern: pathPattern(op.path), ...HANDLERS[operation] };
  });
}

function getAccounts(ctx: RouteContext): RouteResult {
  return {
    status: 200,
    body: {
      data: [accountResource(ctx.state.account, ctx.base)],
      links: { self: `${ctx.base}/api/accounts/` },
    },
  };
}

function getMetrics(ctx: RouteContext): RouteResult {
  const conditions = parseFilter(ctx.url.searchParams.get("filter"), {
    "integration.name": ["equals"],
    "integration.category": ["equals"],
  });
  const all = [...ctx.state.metrics.values()].filter((m) =>
    matchesFilter(conditions, (field) =>
      field === "integration.name" ? m.integration.name : m.integration.category,
    ),
  );
  const offset = decodeCursor(ctx.url.searchParams.get("page[cursor]"));
  return {
    status: 200,
    body: {
      data: all.slice(offset, offset + METRICS_PAGE_SIZE).map((m) => metricResource(m, ctx.base)),
      links: collectionLinks(ctx.url, ctx.base, offset, METRICS_PAGE_SIZE, all.length),
    },
  };
}

function getLists(ctx: RouteContext): RouteResult {
  const rawSize = ctx.url.searchParams.get("page[size]");
  const size = rawSize === null ? 10 : Number(rawSize);
  if (!Number.isInteger(size) || size < 1 || size > 10) {
    throw new HttpError([invalidParameter("page[size]", "page[size] must be between 1 and 10.")]);
  }
  const conditions = parseFilter(ctx.url.searchParams.get("filter"), {
    name: ["equals", "any"],
    id: ["equals", "any"],
  });
  const all = [...ctx.state.lists.values()].filter((l) =>
    matchesFilter(conditions, (field) => (field === "id" ? l.id : l.name)),
  );
  const offset = decodeCursor(ctx.url.searchParams.get("page[cursor]"));
  return {
    status: 200,
    body: {
      data: all.slice(offset, offset + size).map((l) => listResource(l, ctx.base)),
      links: collectionLinks(ctx.url, ctx.base, offset, size, all.length),
    },
  };
}

function createList(ctx: RouteContext): RouteResult {
  const attrs = asObject(asObject(ctx.body.data).attributes);
  const name = typeof attrs.name === "string" ? attrs.name.trim() : "";
  if (name === "") {
    throw new HttpError([
      {
        status: 400,
        code: "invalid",
        title: "Invalid input.",
        detail: "List name must not be blank.",
        pointer: "/data/attributes/name",
      },
    ]);
  }
  const optIn = attrs.opt_in_process === "single_opt_in" ? "single_opt_in" : "double_opt_in";
  const list = ctx.state.createList(name, optIn);
  const data = listResource(list, ctx.base);
  return { status: 201, body: { data, links: asObject(data.links) } };
}
