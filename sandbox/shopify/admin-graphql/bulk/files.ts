/**
 * Serves bulk operation results at the URLs in `url` and `partialDataUrl`. Shopify hands out
 * signed storage URLs that need no access token and "expire after one week"
 * (https://shopify.dev/docs/api/usage/bulk-operations/queries#download-result-data); the stand-in's
 * carry a per-operation signature instead and do not expire. The file is streamed from disk, so a
 * large result is never held in memory by the stand-in.
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import type { BulkOperations } from "./operations";
import { BULK_RESULT_PATH } from "./operations";

export { BULK_RESULT_PATH };

const RESULT = /^(\d+)\/(result|partial)\.jsonl$/;

export function serveBulkResult(bulk: BulkOperations, request: Request): Response {
  const url = new URL(request.url);
  const match = RESULT.exec(url.pathname.slice(BULK_RESULT_PATH.length));
  if (!match?.[1] || !match[2]) return new Response("Not Found", { status: 404 });
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Method Not Allowed", { status: 405, headers: { allow: "GET, HEAD" } });
  }
  const kind = match[2] as "result" | "partial";
  const file = bulk.resultFile(Number(match[1]), kind, url.searchParams.get("signature"));
  // Storage answers 403 to a URL whose signature does not match, whatever the object.
  if (!file) return new Response("Access denied.", { status: 403 });
  const headers = {
    "content-type": "application/jsonl",
    "content-length": String(fs.statSync(file).size),
  };
  if (request.method === "HEAD") return new Response(null, { headers });
  const body = Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(body, { headers });
}
