import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ActionFunction, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request as ExpressRequest } from "express";

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
 * The HTTP server around the built Remix app: the queued webhook routes' POSTs first, then
 * fingerprinted assets cached for a year, everything else to Remix. Shared by `npm start` and the
 * sandbox, so the demo runs the production server.
 */
export function createAppServer(build: ServerBuild, clientDir = path.resolve("build/client")) {
  const app = express();
  app.disable("x-powered-by");
  for (const id of QUEUED_WEBHOOK_ROUTES) {
    const route = build.routes[id];
    const action = route?.module.action;
    // A renamed or removed route must fail at start-up, not fall silently back to Remix.
    if (!route?.path || !action) throw new Error(`queued webhook route ${id} has no action`);
    app.post(`/${route.path}`, (req, res, next) => {
      callAction(action, req)
        .then(async (response) => {
          res.status(response.status);
          response.headers.forEach((value, name) => res.setHeader(name, value));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch((error: unknown) => passOn(error, next));
    });
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

/**
 * The route's action with a Fetch Request of the raw body and headers, as Remix would build it;
 * a Response it throws (401, 400, 405 from the verifier) is its answer, as in Remix.
 */
async function callAction(action: ActionFunction, req: ExpressRequest): Promise<Response> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  const request = new Request(`${req.protocol}://${req.get("host")}${req.originalUrl}`, {
    method: req.method,
    headers,
    body: Buffer.concat(chunks),
  });
  try {
    const result = await action({ request, params: {}, context: {} });
    if (result instanceof Response) return result;
    throw new Error("a queued webhook action must answer with a Response");
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function passOn(error: unknown, next: NextFunction) {
  console.error(
    JSON.stringify({ level: "error", message: "webhook route failed", error: String(error) }),
  );
  next(error);
}
