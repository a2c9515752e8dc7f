import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ActionFunction, LoaderFunction, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, {
  type NextFunction,
  type Request as ExpressRequest,
  type Response as ExpressResponse,
} from "express";

/**
 * The routes whose whole work is "verify, record, answer 200" (`receiveQueuedWebhook`): Shopify
 * posts to them at the rate orders come in, so their action is called straight from express,
 * ahead of compression, the static file lookups and Remix's router (ADR 0047).
 */
export const QUEUED_WEBHOOK_ROUTES = [
  "routes/webhooks.orders",
  "routes/webhooks.customers",
  "routes/webhooks.catalog",
  "routes/webhooks.compliance",
] as const;

/**
 * The storefront's App Proxy routes (`/proxy/*`): small JSON answers at shopper traffic, one per
 * widget open. Their GETs and POSTs are also called straight from express, since the static file
 * lookup (a `stat` per request), compression of a few hundred bytes and Remix's route matching
 * were a fifth of a request's CPU (issue #24, ADR 0076). They are resource routes: Remix would run
 * nothing but their loader or action either.
 */
export const STOREFRONT_ROUTE_PREFIX = "routes/proxy.";

/**
 * The HTTP server around the built Remix app: the queued webhook routes' POSTs and the storefront
 * routes first, then fingerprinted assets cached for a year, everything else to Remix. Shared by
 * `npm start` and the sandbox, so the demo runs the production server.
 */
export function createAppServer(build: ServerBuild, clientDir = path.resolve("build/client")) {
  const app = express();
  app.disable("x-powered-by");
  for (const id of QUEUED_WEBHOOK_ROUTES) {
    const route = build.routes[id];
    const action = route?.module.action;
    // A renamed or removed route must fail at start-up, not fall silently back to Remix.
    if (!route?.path || !action) throw new Error(`queued webhook route ${id} has no action`);
    app.post(`/${route.path}`, direct(action, "webhook route failed"));
  }
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route?.path || !id.startsWith(STOREFRONT_ROUTE_PREFIX)) continue;
    // A method the route does not answer goes on to Remix, which says 405 as before.
    const { loader, action } = route.module;
    if (loader) app.get(`/${route.path}`, direct(loader, "storefront route failed"));
    if (action) app.post(`/${route.path}`, direct(action, "storefront route failed"));
  }
  app.use(compression());
  app.use(
    "/assets",
    express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false }),
  );
  app.use(express.static(clientDir, { maxAge: "1h", index: false }));
  app.all("*", createRequestHandler({ build }));
  return app;
}

/** An express handler that answers with the route's loader or action, as Remix would. */
function direct(handler: LoaderFunction | ActionFunction, failure: string) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    callRoute(handler, req)
      .then(async (response) => {
        res.status(response.status);
        response.headers.forEach((value, name) => res.setHeader(name, value));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => passOn(error, failure, next));
  };
}

/**
 * The route's loader or action with a Fetch Request of the raw body and headers, as Remix would
 * build it; a Response it throws (401, 400, 405 from the verifier) is its answer, as in Remix.
 */
async function callRoute(
  handler: LoaderFunction | ActionFunction,
  req: ExpressRequest,
): Promise<Response> {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  const init: RequestInit = { method: req.method, headers };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    init.body = Buffer.concat(chunks);
  }
  const request = new Request(`${req.protocol}://${req.get("host")}${req.originalUrl}`, init);
  try {
    const result = await handler({ request, params: {}, context: {} });
    if (result instanceof Response) return result;
    throw new Error("a route served from express must answer with a Response");
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function passOn(error: unknown, message: string, next: NextFunction) {
  console.error(JSON.stringify({ level: "error", message, error: String(error) }));
  next(error);
}
