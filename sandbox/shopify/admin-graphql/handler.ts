/**
 * The Admin GraphQL endpoint of the Shopify stand-in, as a fetch-style handler for
 * POST /admin/api/2026-10/graphql.json. Order of checks as Shopify: path and version, access token
 * (401), request body (400), syntax and validation (200 with `errors`), cost and throttling
 * (200 with THROTTLED), then execution with field-level ACCESS_DENIED errors. Every executed
 * request reports `extensions.cost` (https://shopify.dev/docs/api/usage/limits).
 */
import type { FlowTriggerSpec } from "../flow-trigger-specs";
import { execute, getOperationAST, getVariableValues, GraphQLError, Kind, parse } from "graphql";
import type { DocumentNode, ExecutionResult, FragmentDefinitionNode } from "graphql";
import type { SandboxStore } from "../store";
import { BULK_RESULT_PATH, serveBulkResult } from "./bulk/files";
import type { AdminContext } from "./context";
import { actualQueryCost, requestedQueryCost } from "./cost";
import { delay, rootFieldNames, userErrorsData } from "./faults";
import type { CostInput } from "./cost";
import { fieldResolver, typeResolver } from "./execute";
import { ADMIN_API_VERSION, expandScopes, loadAdminSchema } from "./schema";
import { LeakyBuckets, STANDARD_PLAN_BUCKET } from "./throttle";
import type { BucketOptions, ThrottleStatus } from "./throttle";
import { validateAdminDocument } from "./validation";
import type { ShopifyGraphqlError } from "./validation";
import { isRecord } from "./values";

export const ADMIN_GRAPHQL_PATH = `/admin/api/${ADMIN_API_VERSION}/graphql.json`;

/** The legacy single-query cap (help.shopify.com/en/api/graphql-admin-api/call-limit). */
export const DEFAULT_MAX_QUERY_COST = 1000;

export interface AdminGraphqlHandlerOptions {
  readonly store: SandboxStore;
  /** Valid offline access tokens: a predicate, or a function returning the current set. */
  readonly accessTokens: ((token: string) => boolean) | (() => ReadonlySet<string>);
  /** The scopes granted to the app (`[access_scopes] scopes` once installed). */
  readonly grantedScopes: readonly string[] | (() => readonly string[]);
  readonly bucket?: Partial<BucketOptions>;
  /** Milliseconds since the epoch; drives bucket refills and "now" in resolvers. */
  readonly clock?: () => number;
  readonly maxQueryCost?: number;
  /** The app's client id, for the `$app` metafield namespace (`app--<client id>`). */
  readonly appClientId?: string;
  /** The app's deployed Flow triggers; when given, flowTriggerReceive validates against them. */
  readonly flowTriggers?: ReadonlyMap<string, FlowTriggerSpec>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-shopify-api-version": ADMIN_API_VERSION,
      ...headers,
    },
  });
}

function tokenIsValid(options: AdminGraphqlHandlerOptions, token: string): boolean {
  const answer = (options.accessTokens as (t: string) => boolean | ReadonlySet<string>)(token);
  return typeof answer === "boolean" ? answer : answer.has(token);
}

async function readRequest(request: Request) {
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (type.includes("application/graphql"))
    return { query: text, variables: {}, operationName: null };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(body) || typeof body.query !== "string" || !body.query.trim()) return null;
  const variables = isRecord(body.variables) ? body.variables : {};
  const operationName = typeof body.operationName === "string" ? body.operationName : null;
  return { query: body.query, variables, operationName };
}

const errorsOnly = (errors: readonly ShopifyGraphqlError[]) => json(200, { errors });

function formatError(error: GraphQLError): ShopifyGraphqlError {
  const formatted = error.toJSON();
  return {
    message: formatted.message,
    ...(formatted.locations ? { locations: [...formatted.locations] } : {}),
    ...(formatted.path ? { path: [...formatted.path] } : {}),
    ...(formatted.extensions ? { extensions: { ...formatted.extensions } } : {}),
  };
}

export function createAdminGraphqlHandler(options: AdminGraphqlHandlerOptions) {
  const admin = loadAdminSchema(ADMIN_API_VERSION);
  const clock = options.clock ?? Date.now;
  const buckets = new LeakyBuckets({ ...STANDARD_PLAN_BUCKET, ...options.bucket }, clock);
  const maxQueryCost = options.maxQueryCost ?? DEFAULT_MAX_QUERY_COST;
  const appNamespace = `app--${options.appClientId ?? "stand-in"}`;

  const executeDocument = async (document: DocumentNode, contextValue: AdminContext) =>
    (await execute({
      schema: admin.schema,
      document,
      contextValue,
      fieldResolver,
      typeResolver,
    })) as ExecutionResult;

  return async function handleAdminGraphql(request: Request): Promise<Response> {
    const url = new URL(request.url);
    // Bulk operation results: signed URLs that need no access token, like Shopify's storage links.
    if (url.pathname.startsWith(BULK_RESULT_PATH)) {
      return serveBulkResult(options.store.adminApi.bulk, request);
    }
    if (url.pathname !== ADMIN_GRAPHQL_PATH) {
      return json(404, { errors: "Not Found" });
    }
    if (request.method !== "POST")
      return json(405, { errors: "Method Not Allowed" }, { allow: "POST" });
    const token = request.headers.get("x-shopify-access-token");
    if (!token || !tokenIsValid(options, token)) {
      return json(401, {
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
    const body = await readRequest(request);
    if (!body) return json(400, { errors: { query: "Required parameter missing or invalid" } });

    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return errorsOnly([{ message: error.message, locations: [...(error.locations ?? [])] }]);
    }
    const invalid = validateAdminDocument(admin, document);
    if (invalid.length > 0) return errorsOnly(invalid);
    const operation = getOperationAST(document, body.operationName);
    if (!operation) {
      const message = body.operationName
        ? `No operation named "${body.operationName}"`
        : "An operation name is required when the document has several operations";
      return errorsOnly([{ message, extensions: { code: "OPERATION_NOT_FOUND" } }]);
    }
    const coerced = getVariableValues(
      admin.schema,
      operation.variableDefinitions ?? [],
      body.variables,
    );
    if (coerced.errors) {
      return errorsOnly(
        coerced.errors.map((e) => ({
          ...formatError(e),
          extensions: { code: "INVALID_VARIABLE" },
        })),
      );
    }

    const fault = options.store.adminApi.faults.take(rootFieldNames(operation));
    if (fault?.kind === "throttled") {
      return json(200, {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
      });
    }
    if (fault?.kind === "userErrors" && operation.operation !== "mutation") {
      // Queries have no userErrors in Shopify's schema; answering one would be a fake.
      throw new Error(`userErrors faults apply to mutations, not to ${fault.field}`);
    }
    if (fault?.kind === "userErrors") {
      return json(200, { data: userErrorsData(operation, fault.field) });
    }
    if (fault && !fault.applied) {
      await delay(fault.delayMs ?? 0);
      return json(fault.kind === "http500" ? 500 : 504, { errors: "Injected failure" });
    }

    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        fragments[definition.name.value] = definition;
    }
    const costInput: CostInput = {
      schema: admin.schema,
      operation,
      fragments,
      variables: coerced.coerced,
    };
    const requested = requestedQueryCost(costInput);
    const cost = (actual: number | null, throttleStatus: ThrottleStatus) => ({
      cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus },
    });
    if (requested > maxQueryCost) {
      return json(200, {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${maxQueryCost}).`,
            extensions: {
              code: "MAX_COST_EXCEEDED",
              cost: requested,
              maxCost: maxQueryCost,
              documentation: "https://shopify.dev/api/usage/rate-limits",
            },
          },
        ],
        extensions: cost(null, buckets.status(token)),
      });
    }
    const taken = buckets.take(token, requested);
    if (!taken.ok) {
      return json(200, {
        errors: [
          {
            message: "Throttled",
            extensions: {
              code: "THROTTLED",
              documentation: "https://shopify.dev/api/usage/rate-limits",
            },
          },
        ],
        extensions: cost(null, taken.status),
      });
    }

    const granted =
      typeof options.grantedScopes === "function" ? options.grantedScopes() : options.grantedScopes;
    const context: AdminContext = {
      admin,
      store: options.store,
      state: options.store.adminApi,
      scopes: expandScopes(granted),
      now: new Date(clock()),
      clock,
      origin: url.origin,
      executeDocument,
      appNamespace,
      flowTriggers: options.flowTriggers,
    };
    const result = (await execute({
      schema: admin.schema,
      document,
      operationName: operation.name?.value ?? null,
      variableValues: body.variables,
      contextValue: context,
      fieldResolver,
      typeResolver,
    })) as ExecutionResult;
    const actual = Math.min(requested, actualQueryCost(costInput, result.data ?? null));
    const status = buckets.refund(token, requested - actual);
    if (fault) {
      // Applied, but the answer is lost: the caller cannot tell whether it happened.
      await delay(fault.delayMs ?? 0);
      if (fault.kind === "http500") return json(500, { errors: "Injected failure" });
    }
    return json(200, {
      ...(result.errors ? { errors: result.errors.map(formatError) } : {}),
      data: result.data ?? null,
      extensions: cost(actual, status),
    });
  };
}
