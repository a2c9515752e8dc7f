/**
 * Helpers for tests of bulk operations: start one, read its JSONL result as a stream, and receive
 * the `bulk_operations/finish` webhook as an app would.
 */
import type { AppConfig } from "../../app-config";
import { serve } from "../../../http";
import { webhookHmac } from "../../signing";
import { WebhookSender } from "../../webhook-sender";
import type { GraphqlReply } from "../testing";
import { sendBulkFinishWebhooks } from "./finish-webhook";
import type { BulkOperations } from "./operations";

export const RUN_BULK_QUERY = `#graphql
  mutation RunBulkQuery($query: String!, $groupObjects: Boolean!) {
    bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
      bulkOperation { id status type query objectCount rootObjectCount url partialDataUrl }
      userErrors { field message code }
    }
  }`;

export interface RunBulkPayload {
  bulkOperation: {
    id: string;
    status: string;
    type: string;
    query: string;
    objectCount: string;
    rootObjectCount: string;
    url: string | null;
    partialDataUrl: string | null;
  } | null;
  userErrors: { field: string[] | null; message: string; code: string | null }[];
}

type Gql = (query: string, variables?: Record<string, unknown>) => Promise<GraphqlReply>;

export async function runBulkQuery(
  gql: Gql,
  query: string,
  groupObjects = false,
): Promise<RunBulkPayload> {
  const reply = await gql(RUN_BULK_QUERY, { query, groupObjects });
  if (reply.body.errors) throw new Error(JSON.stringify(reply.body.errors));
  return reply.body.data?.bulkOperationRunQuery as RunBulkPayload;
}

/** The numeric id of `gid://shopify/BulkOperation/<n>`. */
export const bulkId = (gid: string) => Number(gid.split("/").pop());

/** Parses a JSONL response one line at a time, never holding the whole body. */
export async function* jsonlLines(response: Response): AsyncGenerator<Record<string, unknown>> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let rest = "";
  for (;;) {
    const { done, value } = await reader.read();
    rest += done ? decoder.decode() : decoder.decode(value, { stream: true });
    const lines = rest.split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (line) yield JSON.parse(line) as Record<string, unknown>;
    if (done) break;
  }
  if (rest) yield JSON.parse(rest) as Record<string, unknown>;
}

export async function readJsonl(response: Response) {
  const lines: Record<string, unknown>[] = [];
  for await (const line of jsonlLines(response)) lines.push(line);
  return lines;
}

export interface ReceivedWebhook {
  topic: string | null;
  hmacValid: boolean;
  payload: Record<string, unknown>;
}

/**
 * An app on loopback subscribed to `bulk_operations/finish`, and the sender wired to `bulk` as the
 * sandbox wires it (server.ts). `received` fills as deliveries arrive.
 */
export async function bulkFinishApp(bulk: BulkOperations, shop: string) {
  const secret = "bulk-test-secret";
  const received: ReceivedWebhook[] = [];
  const app = await serve(async (request) => {
    const body = await request.text();
    received.push({
      topic: request.headers.get("x-shopify-topic"),
      hmacValid: request.headers.get("x-shopify-hmac-sha256") === webhookHmac(body, secret),
      payload: JSON.parse(body) as Record<string, unknown>,
    });
    return new Response(null, { status: 200 });
  });
  const config: AppConfig = {
    scopes: [],
    apiVersion: "2026-10",
    subscriptions: [{ topics: ["bulk_operations/finish"], uri: "/webhooks/bulk" }],
    appProxy: undefined,
  };
  const sender = new WebhookSender({ appUrl: app.url, shop, secret, config });
  const unsubscribe = sendBulkFinishWebhooks(bulk, sender, config);
  return {
    received,
    sender,
    close: async () => {
      unsubscribe();
      await app.close();
    },
  };
}
