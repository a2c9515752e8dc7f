import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

export type FetchHandler = (request: Request) => Promise<Response> | Response;

/** Serves a Fetch-style handler on loopback; port 0 picks a free one. */
export async function serve(handler: FetchHandler, port = 0, host = "127.0.0.1") {
  const server = http.createServer(async (incoming, outgoing) => {
    try {
      const response = await handler(await toRequest(incoming, host));
      outgoing.statusCode = response.status;
      response.headers.forEach((value, key) => outgoing.setHeader(key, value));
      // Streamed, not buffered: a bulk operation's result file can be hundreds of megabytes.
      if (!response.body) outgoing.end();
      else await pipeline(Readable.fromWeb(response.body as NodeReadableStream), outgoing);
    } catch (error) {
      // Once the body has started there is no status left to change: drop the connection.
      if (outgoing.headersSent) return void outgoing.destroy(error as Error);
      outgoing.statusCode = 500;
      outgoing.setHeader("Content-Type", "text/plain");
      outgoing.end(`stand-in error: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${bound}`,
    port: bound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function toRequest(incoming: http.IncomingMessage, host: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const method = incoming.method ?? "GET";
  return new Request(`http://${incoming.headers.host ?? host}${incoming.url ?? "/"}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
  });
}
