/**
 * A local stand-in for one Omnisend brand, speaking API version 2026-03-15 over node:http for the
 * endpoints the loyalty app uses (`POST /events` and the contacts API). `url` ends in `/api`, like
 * `https://api.omnisend.com/api`, so the app calls `${url}/events` and `${url}/contacts`.
 *
 * Request pipeline: injected faults, API key, Omnisend-Version header, routing, scopes, rate
 * limit, JSON parse, contract validation, handler. Errors are RFC 9457 Problem Details.
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { BrandState } from "./brand-state";
import type { AuthOptions } from "./http-guards";
import { apiKeyOf, authenticate, checkScopes, checkVersion, readBody } from "./http-guards";
import type { Json, JsonObject, RequestLogEntry } from "./model";
import { loadOmnisendContract } from "./openapi";
import type { ProblemReply } from "./problems";
import {
  PROBLEM_CONTENT_TYPE,
  ProblemError,
  problem,
  rateLimitProblem,
  validationProblem,
} from "./problems";
import type { SlidingWindowLimit } from "./rate-limiter";
import { DEFAULT_LIMIT, SlidingWindowRateLimiter } from "./rate-limiter";
import { buildRoutes, matchRoute, pathPattern } from "./routes";
import { DEFAULT_HISTORICAL_EVENT_AGE_MS } from "./routes-events";
import { isPlainObject, validateAgainstSchema } from "./schema-validator";

export { BrandState } from "./brand-state";
export type { Fault } from "./brand-state";
export type * from "./model";
export type { SlidingWindowLimit } from "./rate-limiter";

export interface OmnisendStandInOptions extends AuthOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Keys that get 401 from the start; more can be revoked with `state.revokeKey`. */
  revokedKeys?: string[];
  /** The brand's sliding window over every endpoint. Default 400 requests per 60 s. */
  limit?: SlidingWindowLimit;
  /** Milliseconds since the epoch; drives the rate limit, timestamps and "historical" events. */
  clock?: () => number;
  /** Events whose eventTime is older than this are historical (deduplicated). Default 1 hour. */
  historicalEventAgeMs?: number;
  /** Reject body fields the contract does not declare. Default true. */
  rejectUnknownFields?: boolean;
}

export interface OmnisendStandIn {
  /** Base URL ending in `/api`. */
  url: string;
  state: BrandState;
  /** The effective rate limit. */
  limit: SlidingWindowLimit;
  /** Forgets the rate-limit window (state.reset() leaves it alone). */
  resetRateLimits(): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  /** The request is never answered (an injected timeout). */
  hang?: boolean;
  body?: JsonObject;
  headers?: Record<string, string>;
  isProblem?: boolean;
}

const API_PREFIX = "/api";

function fromProblem(p: ProblemReply): Reply {
  return { ...p, isProblem: true };
}

function injectedFault(status: number): Reply {
  if (status === 429) return fromProblem(rateLimitProblem(1));
  return fromProblem(problem(status, "Injected by the Omnisend stand-in."));
}

export async function startOmnisendStandIn(
  options: OmnisendStandInOptions = {},
): Promise<OmnisendStandIn> {
  const clock = options.clock ?? Date.now;
  const contract = loadOmnisendContract();
  const routes = buildRoutes(contract);
  const knownPaths = contract.operations.map((op) => ({ ...op, pattern: pathPattern(op.path) }));
  const state = new BrandState(clock, options.revokedKeys);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const limiter = new SlidingWindowRateLimiter(limit, clock);
  const historicalEventAgeMs = options.historicalEventAgeMs ?? DEFAULT_HISTORICAL_EVENT_AGE_MS;

  function unrouted(method: string, path: string): Reply {
    const samePath = knownPaths.filter((op) => op.pattern.test(path));
    if (samePath.some((op) => op.method === method)) {
      return fromProblem(problem(404, `The stand-in does not implement ${method} ${path}.`));
    }
    if (samePath.length > 0) {
      return fromProblem(problem(405, `Method ${method} is not allowed on ${path}.`));
    }
    return fromProblem(problem(404, `No route for ${method} ${path}.`));
  }

  function dispatch(req: IncomingMessage, url: URL, raw: string, entry: RequestLogEntry): Reply {
    const fault = state.takeFault();
    if (fault === "timeout") return { status: 0, hang: true };
    if (fault !== undefined) return injectedFault(fault);

    const authorization = req.headers.authorization;
    const denied = authenticate(authorization, options, (key) => state.isRevoked(key));
    if (denied) return fromProblem(denied);
    const badVersion = checkVersion(entry.version ?? undefined, contract.version);
    if (badVersion) return fromProblem(badVersion);

    const method = entry.method;
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) return unrouted(method, url.pathname);
    const path = url.pathname.slice(API_PREFIX.length);
    const matched = matchRoute(routes, method, path);
    if (!matched) return unrouted(method, path);
    const { route, params } = matched;

    const missingScope = checkScopes(apiKeyOf(authorization), route.operation.scopes, options);
    if (missingScope) return fromProblem(missingScope);
    const decision = limiter.take();
    if (!decision.allowed) return fromProblem(rateLimitProblem(decision.retryAfterSeconds));

    let body: JsonObject = {};
    const schema = route.operation.requestSchema;
    if (schema) {
      let parsed: Json;
      try {
        parsed = JSON.parse(raw) as Json;
      } catch (error) {
        return fromProblem(problem(400, `Malformed JSON body: ${(error as Error).message}`));
      }
      entry.body = parsed;
      const errors = validateAgainstSchema(parsed, schema, {
        resolveRef: route.operation.resolveRef,
        rejectUnknownFields: options.rejectUnknownFields ?? true,
      });
      if (errors.length > 0) return fromProblem(validationProblem(errors));
      if (!isPlainObject(parsed)) return fromProblem(problem(400, "The body must be an object."));
      body = parsed;
    }

    try {
      return route.handle({ state, url, params, body, historicalEventAgeMs });
    } catch (error) {
      if (error instanceof ProblemError) return fromProblem(error.reply);
      throw error;
    }
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const version = req.headers["omnisend-version"];
    const entry: RequestLogEntry = {
      at: state.isoNow(),
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: url.search,
      status: 0,
      version: typeof version === "string" ? version : null,
      body: null,
    };
    let reply: Reply;
    try {
      reply = dispatch(req, url, await readBody(req), entry);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      reply = fromProblem(problem(500, detail));
    }
    entry.status = reply.status;
    state.requests.push(entry);
    if (reply.hang) {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.body !== undefined) {
      headers["Content-Type"] = reply.isProblem ? PROBLEM_CONTENT_TYPE : "application/json";
    }
    res.writeHead(reply.status, headers);
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  }

  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => void onRequest(req, res));
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url: `${origin}${API_PREFIX}`,
    state,
    limit,
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
