/**
 * Checks that run before a handler: body reading, the API key, the `Omnisend-Version` header and
 * the key's scopes. Kept apart from the server so the pipeline in server.ts reads top to bottom.
 */
import type { IncomingMessage } from "node:http";
import type { ProblemReply } from "./problems";
import { problem } from "./problems";

export interface AuthOptions {
  /** Accepted keys; default any non-empty key. */
  apiKeys?: string[];
  /** Scopes per key; an unlisted key has every scope. */
  keyScopes?: Record<string, string[]>;
}

const API_KEY_HEADER = /^Omnisend-API-Key\s+(\S+)\s*$/;
const VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** The key from `Authorization: Omnisend-API-Key <key>`, or undefined. */
export function apiKeyOf(header: string | undefined): string | undefined {
  return API_KEY_HEADER.exec(header ?? "")?.[1];
}

export function authenticate(
  header: string | undefined,
  options: AuthOptions,
  isRevoked: (key: string) => boolean,
): ProblemReply | undefined {
  if (!header) return problem(401, "Missing Authorization header.");
  const key = apiKeyOf(header);
  if (key === undefined) {
    return problem(401, "Authorization must be 'Omnisend-API-Key <key>'.");
  }
  const known = options.apiKeys ? options.apiKeys.includes(key) : key.length > 0;
  if (!known || isRevoked(key)) return problem(401, "Invalid or revoked API key.");
  return undefined;
}

/**
 * The contract requires `Omnisend-Version` and documents 410 for a retired version. A missing or
 * malformed header is a 400; an older date is retired (410); a newer one is unknown to the
 * stand-in (400).
 */
export function checkVersion(
  value: string | undefined,
  supported: string,
): ProblemReply | undefined {
  if (!value) return problem(400, "Missing required header: Omnisend-Version.");
  if (!VERSION_FORMAT.test(value)) {
    return problem(400, `Invalid Omnisend-Version '${value}'; expected YYYY-MM-DD.`);
  }
  if (value < supported) {
    return problem(410, `API version ${value} has been retired; use ${supported}.`);
  }
  if (value > supported) {
    return problem(400, `Unknown API version ${value}; this stand-in speaks ${supported}.`);
  }
  return undefined;
}

export function checkScopes(
  key: string | undefined,
  required: string[],
  options: AuthOptions,
): ProblemReply | undefined {
  const granted = key === undefined ? undefined : options.keyScopes?.[key];
  if (!granted) return undefined;
  const missing = required.filter((scope) => !granted.includes(scope));
  if (missing.length === 0) return undefined;
  return problem(403, `The API key is missing a required scope: ${missing.join(", ")}.`);
}
