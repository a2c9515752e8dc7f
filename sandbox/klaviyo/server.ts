/**
 * A local stand-in for one Klaviyo account, speaking JSON:API revision 2026-07-15 over node:http
 * for the endpoints the loyalty app uses. Point the `klaviyo-api` SDK at it with
 * `api.basePath = standIn.url`, or call it with fetch.
 *
 * Request pipeline, in Klaviyo's order as far as it is observable: injected faults, auth,
 * revision header, routing, rate limit, payload size, JSON parse, OpenAPI validation, handler.
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { API_INTEGRATION, AccountState } from "./account-state";
import type { RawBody } from "./http-guards";
import { authenticate, checkRevision, readBody } from "./http-guards";
import type { ApiError } from "./jsonapi";
import { HttpError, errorDocument } from "./jsonapi";
import type {
  AccountSettings,
  Json,
  JsonObject,
  MetricIntegration,
  RequestLogEntry,
} from "./model";
import type { ContractOperation, EndpointLimits, KlaviyoOperation } from "./openapi";
import { STAND_IN_OPERATIONS, loadKlaviyoContract } from "./openapi";
import { OAuthAuthority, type OAuthOptions } from "./oauth";
import { validateAgainstSchema } from "./openapi-validator";
import { FixedWindowRateLimiter } from "./rate-limiter";
import type { Route } from "./routes";
import { buildRoutes, pathPattern } from "./routes";

export { AccountState } from "./account-state";
export { completeProfileImportJobs } from "./routes-profiles";
export type * from "./model";
export type { EndpointLimits, KlaviyoOperation } from "./openapi";

export type RateLimitOverrides = Partial<Record<KlaviyoOperation, Partial<EndpointLimits>>>;

export interface KlaviyoStandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Per-operation overrides of the published limits, e.g. `{ create_event: { burst: 2 } }`. */
  limits?: RateLimitOverrides;
  /** Milliseconds since the epoch; drives rate-limit windows, timestamps and time checks. */
  clock?: () => number;
  account?: Partial<AccountSettings>;
  /** Accepted private keys. Default: any key starting with `pk_`. */
  apiKeys?: string[];
  /**
   * Scopes granted per private key. A key listed here gets 403 on an operation whose
   * `x-klaviyo-scopes` it lacks; an unlisted key has every scope.
   */
  keyScopes?: Record<string, string[]>;
  /** Accepted OAuth access tokens. Default: any non-empty bearer token. */
  accessTokens?: string[];
  /** Integration that metrics first created over OAuth are attributed to (branded metrics). */
  oauthIntegration?: Partial<Omit<MetricIntegration, "object">>;
  /** The OAuth authorization server: registered apps and the access-token lifetime. */
  oauth?: OAuthOptions;
  /** Reject attributes the schema does not declare, as Klaviyo does. Default true. */
  rejectUnknownFields?: boolean;
}

export interface KlaviyoStandIn {
  url: string;
  state: AccountState;
  /** The authorization server (/oauth/*): register redirect URIs, revoke grants, count refreshes. */
  oauth: OAuthAuthority;
  /** The effective limits per operation (published values merged with overrides). */
  limits: Record<KlaviyoOperation, EndpointLimits>;
  /** Forgets all rate-limit counters (state.reset() leaves them alone). */
  resetRateLimits(): void;
  close(): Promise<void>;
}

interface Reply {
  /** 0 with `hang`: the request is never answered (an injected timeout). */
  status: number;
  hang?: boolean;
  body?: JsonObject;
  headers?: Record<string, string>;
}

function fail(errors: ApiError[], headers?: Record<string, string>): Reply {
  return { status: errors[0]?.status ?? 500, body: errorDocument(errors), headers };
}

/** Klaviyo's 429: Retry-After in whole seconds and no RateLimit-* headers. */
function throttled(seconds: number): Reply {
  const detail = `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  return fail([{ status: 429, code: "throttled", title: "Request was throttled.", detail }], {
    "Retry-After": String(seconds),
  });
}

function injectedFault(status: number): Reply {
  if (status === 429) return throttled(1);
  const title = status === 503 ? "Service unavailable." : "A server error occurred.";
  const code = status === 503 ? "service_unavailable" : "error";
  return fail([{ status, code, title, detail: `${title} (injected by the stand-in)` }]);
}

export async function startKlaviyoStandIn(
  options: KlaviyoStandInOptions = {},
): Promise<KlaviyoStandIn> {
  const clock = options.clock ?? Date.now;
  const contract = loadKlaviyoContract();
  const routes = buildRoutes(contract);
  const state = new AccountState(clock, options.account);
  const limiter = new FixedWindowRateLimiter(clock);
  const oauth = new OAuthAuthority(clock, options.oauth);
  const limits = Object.fromEntries(
    STAND_IN_OPERATIONS.map((op) => [
      op,
      { ...(contract.operation(op).limits ?? { burst: 10, steady: 150 }), ...options.limits?.[op] },
    ]),
  ) as Record<KlaviyoOperation, EndpointLimits>;
  const oauthIntegration: MetricIntegration = {
    object: "integration",
    id: "SbxApp",
    key: "sandbox-loyalty-app",
    name: "Sandbox Loyalty App",
    category: "Loyalty",
    ...options.oauthIntegration,
  };
  function missingScope(
    header: string | undefined,
    tokenScopes: string[] | undefined,
    op: ContractOperation,
  ): ApiError | undefined {
    const key = /^Klaviyo-API-Key\s+(\S+)$/.exec(header ?? "")?.[1];
    const granted = tokenScopes ?? (key === undefined ? undefined : options.keyScopes?.[key]);
    if (!granted || op.scopes.every((scope) => granted.includes(scope))) return undefined;
    return {
      status: 403,
      code: "permission_denied",
      title: "You do not have permission to perform this action.",
      detail: `This ${tokenScopes ? "access token" : "API key"} is missing a required scope: ${op.scopes.filter((s) => !granted.includes(s)).join(", ")}.`,
    };
  }

  const knownPaths = contract.operations.map((op) => ({ ...op, pattern: pathPattern(op.path) }));
  let base = "";

  function unrouted(method: string, path: string): Reply {
    const samePath = knownPaths.filter((op) => op.pattern.test(path));
    const exact = samePath.find((op) => op.method === method);
    if (exact) {
      return fail([
        {
          status: 404,
          code: "not_found",
          title: "Not found.",
          detail: `The stand-in does not implement ${method} ${exact.path} (${exact.operationId}).`,
        },
      ]);
    }
    if (samePath.length > 0) {
      return fail([
        {
          status: 405,
          code: "method_not_allowed",
          title: "Method not allowed.",
          detail: `Method "${method}" not allowed.`,
        },
      ]);
    }
    return fail([
      {
        status: 404,
        code: "not_found",
        title: "Not found.",
        detail: `No route for ${method} ${path}.`,
      },
    ]);
  }

  function dispatch(req: IncomingMessage, url: URL, raw: RawBody, entry: RequestLogEntry): Reply {
    const auth = authenticate(req.headers.authorization, options, (t) => oauth.checkBearer(t));
    entry.auth = auth.kind;
    const fault = state.takeFault();
    if (fault === "timeout") return { status: 0, hang: true };
    if (fault !== undefined) return injectedFault(fault);
    const method = (req.method ?? "GET").toUpperCase();
    if (!url.pathname.startsWith("/api/")) return unrouted(method, url.pathname);
    if (auth.error) return fail([auth.error]);
    const revisionError = checkRevision(entry.revision ?? undefined, contract.revision);
    if (revisionError) return fail([revisionError]);

    let route: Route | undefined;
    let params: Record<string, string> = {};
    for (const candidate of routes) {
      const m = candidate.method === method ? candidate.pattern.exec(url.pathname) : null;
      if (m) {
        route = candidate;
        params = { ...m.groups };
        break;
      }
    }
    if (!route) return unrouted(method, url.pathname);
    entry.operation = route.operation;
    const denied = missingScope(
      req.headers.authorization,
      auth.scopes,
      contract.operation(route.operation),
    );
    if (denied) return fail([denied]);

    // Private keys share the account's quota; an OAuth app gets a quota of its own.
    const quota = auth.kind === "oauth" ? "oauth-app" : "account";
    const decision = limiter.take(`${quota}|${route.operation}`, limits[route.operation]);
    if (!decision.allowed) return throttled(decision.retryAfterSeconds);
    const headers = {
      "RateLimit-Limit": String(decision.limit),
      "RateLimit-Remaining": String(decision.remaining),
      "RateLimit-Reset": String(decision.resetSeconds),
    };

    let body: JsonObject = {};
    const schema = contract.operation(route.operation).requestSchema;
    if (schema) {
      if (raw.truncated || raw.size > route.maxBytes) {
        const detail = `The maximum allowed payload size is ${route.maxBytes} bytes (got ${raw.size}).`;
        return fail(
          [{ status: 413, code: "request_too_large", title: "Request entity too large.", detail }],
          headers,
        );
      }
      let parsed: Json;
      try {
        parsed = JSON.parse(raw.bytes.toString("utf8")) as Json;
      } catch (error) {
        const detail = `JSON parse error - ${(error as Error).message}`;
        return fail(
          [{ status: 400, code: "parse_error", title: "Malformed request.", detail, pointer: "/" }],
          headers,
        );
      }
      entry.body = parsed;
      const violations = validateAgainstSchema(parsed, schema, {
        resolveRef: contract.resolveRef,
        rejectUnknownFields: options.rejectUnknownFields ?? true,
      });
      if (violations.length > 0) {
        return fail(
          violations.map((v) => ({ status: 400, code: "invalid", title: "Invalid input.", ...v })),
          headers,
        );
      }
      body = parsed as JsonObject;
    }

    const integration = auth.kind === "oauth" ? oauthIntegration : API_INTEGRATION;
    try {
      const result = route.handle({ state, base, url, params, body, integration });
      return { ...result, headers };
    } catch (error) {
      if (error instanceof HttpError) return fail(error.errors, headers);
      throw error;
    }
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", base);
    const revision = req.headers.revision;
    const entry: RequestLogEntry = {
      at: state.isoNow(),
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: url.search,
      status: 0,
      auth: "none",
      operation: null,
      revision: typeof revision === "string" ? revision : null,
      body: null,
    };
    let reply: Reply;
    try {
      const raw = await readBody(req);
      if (url.pathname.startsWith("/oauth/")) {
        const fault = state.takeFault();
        if (fault === "timeout") reply = { status: 0, hang: true };
        else if (fault !== undefined) reply = injectedFault(fault);
        else {
          const answer = oauth.handle(
            entry.method,
            url,
            req.headers.authorization,
            raw.bytes.toString("utf8"),
          );
          entry.status = answer.status;
          state.requests.push(entry);
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body ?? "");
          return;
        }
      } else {
        reply = dispatch(req, url, raw, entry);
      }
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      reply = fail([{ status: 500, code: "error", title: "A server error occurred.", detail }]);
    }
    entry.status = reply.status;
    state.requests.push(entry);
    if (reply.hang) {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    const headers: Record<string, string> = { ...reply.headers };
    const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
    if (reply.body !== undefined) headers["Content-Type"] = "application/vnd.api+json";
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => void onRequest(req, res));
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url: base,
    state,
    oauth,
    limits,
    resetRateLimits: () => limiter.reset(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of hanging) res.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
        // fetch keeps connections alive; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
