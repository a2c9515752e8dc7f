import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";

/**
 * The HTTP server around the built Remix app: fingerprinted assets cached for a year, everything
 * else to Remix. Shared by `npm start` and the sandbox, so the demo runs the production server.
 */
export function createAppServer(build: ServerBuild, clientDir = path.resolve("build/client")) {
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use(
    "/assets",
    express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false }),
  );
  app.use(express.static(clientDir, { maxAge: "1h", index: false }));
  app.all("*", createRequestHandler({ build }));
  return app;
}
