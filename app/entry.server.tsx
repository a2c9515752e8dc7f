import { AsyncLocalStorage } from "node:async_hooks";
import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { startJobs } from "./jobs/start.server";
import { logger } from "./lib/logger.server";
import { setLocaleSource, type Locale } from "./lib/i18n";
import { addDocumentResponseHeaders } from "./shopify.server";

export const streamTimeout = 5000;

// Start pg-boss with the server (and, with the embedded database, its workers), so queued jobs
// run without waiting for the first request that enqueues one.
startJobs().catch((error: Error) => logger.error("jobs failed to start", { error: error.message }));

// `t` in components speaks the language of the page being rendered: each render runs in its own
// context, so two staff members' pages rendered at once keep their own languages.
const renderedLocale = new AsyncLocalStorage<Locale>();
setLocaleSource(() => renderedLocale.getStore() ?? "en");

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const admin = remixContext.staticHandlerContext.loaderData["routes/app"] as
    { locale?: Locale } | undefined;
  return renderedLocale.run(admin?.locale ?? "en", () =>
    renderDocument(request, responseStatusCode, responseHeaders, remixContext),
  );
}

function renderDocument(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} />,
      {
        [callbackName]: () => {
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          responseStatusCode = 500;
          logger.error("render failed", { error: String(error) });
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}
