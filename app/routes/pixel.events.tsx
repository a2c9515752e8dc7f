import type { ActionFunctionArgs } from "@remix-run/node";
import { MAX_PIXEL_BODY_BYTES } from "~/domain/commerce";
import { ingestPixelEvent, type PixelOutcome } from "~/services/commerce/pixel.server";

// POST /pixel/events: the Web Pixel extension's events (ADR 0071). Public (a pixel has no session
// token); the service refuses anything but a well-formed event of an installed shop.

/** The pixel runs in Shopify's sandbox on the shop's domain: any origin, no credentials. */
const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

const STATUS: Record<PixelOutcome["kind"], number> = {
  refused: 400,
  limited: 429,
  dropped: 202,
  accepted: 202,
};

export const loader = () => new Response(null, { status: 405, headers: CORS });

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
  if (request.method !== "POST") return new Response(null, { status: 405, headers: CORS });
  // A declared size over the limit is refused unread; a body is never read past it either.
  const declared = Number(request.headers.get("content-length") ?? 0);
  const raw = declared > MAX_PIXEL_BODY_BYTES ? "" : await boundedText(request);
  const outcome = await ingestPixelEvent(raw);
  const status =
    outcome.kind === "refused" && outcome.reason !== "malformed" ? 403 : STATUS[outcome.kind];
  const headers: Record<string, string> = { ...CORS };
  if (outcome.kind === "limited") headers["Retry-After"] = String(outcome.retryAfterSeconds);
  return Response.json(outcome, { status, headers });
};

/** The body as text, or "" (malformed) once it passes the size limit. */
async function boundedText(request: Request): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_PIXEL_BODY_BYTES) {
      await reader.cancel();
      return "";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
