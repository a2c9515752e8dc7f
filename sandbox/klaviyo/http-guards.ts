/**
 * Checks that run before routing: body reading (bounded), authentication and the revision
 * header. Kept apart from the server so the pipeline in server.ts reads top to bottom.
 */
import type { IncomingMessage } from "node:http";
import type { ApiError } from "./jsonapi";
import type { AuthKind } from "./model";
import type { BearerCheck } from "./oauth";

export interface AuthOptions {
  apiKeys?: string[];
  accessTokens?: string[];
}

/** Tokens the stand-in's authorization server issued are checked strictly (expiry, revocation). */
export type BearerLookup = (token: string) => BearerCheck;

export interface RawBody {
  bytes: Buffer;
  truncated: boolean;
  size: number;
}

const REVISION_FORMAT = /^(\d{4}-\d{2}-\d{2})(\.[\w-]+)?$/;
/** Bodies are read up to the largest documented payload plus slack; the rest is drained. */
const READ_CAP_BYTES = 6 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<RawBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= READ_CAP_BYTES) chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), truncated: size > READ_CAP_BYTES, size };
}

export function authenticate(
  header: string | undefined,
  options: AuthOptions,
  issued?: BearerLookup,
): { kind: AuthKind; error?: ApiError; scopes?: string[] } {
  const missing: ApiError = {
    status: 401,
    code: "not_authenticated",
    title: "Authentication credentials were not provided.",
    detail: "Missing or invalid private key.",
  };
  if (!header) return { kind: "none", error: missing };
  const rejected: ApiError = {
    status: 401,
    code: "authentication_failed",
    title: "Incorrect authentication credentials.",
    detail: "Incorrect authentication credentials.",
  };
  const key = /^Klaviyo-API-Key\s+(\S+)$/.exec(header)?.[1];
  if (key !== undefined) {
    const ok = options.apiKeys ? options.apiKeys.includes(key) : /^pk_\w+$/.test(key);
    return ok ? { kind: "api-key" } : { kind: "invalid", error: rejected };
  }
  const token = /^Bearer\s+(\S+)$/.exec(header)?.[1];
  if (token !== undefined) {
    const check = issued?.(token);
    if (check?.known) {
      return check.valid
        ? { kind: "oauth", scopes: check.scopes }
        : { kind: "invalid", error: rejected };
    }
    const ok = options.accessTokens ? options.accessTokens.includes(token) : true;
    return ok ? { kind: "oauth" } : { kind: "invalid", error: rejected };
  }
  return { kind: "invalid", error: missing };
}

export function checkRevision(value: string | undefined, supported: string): ApiError | undefined {
  const base: Omit<ApiError, "detail"> = {
    status: 400,
    code: "invalid",
    title: "Invalid input.",
    parameter: "revision",
  };
  if (!value) return { ...base, detail: "Missing required header: revision (YYYY-MM-DD)." };
  const m = REVISION_FORMAT.exec(value);
  if (!m) return { ...base, detail: `Invalid revision '${value}'; expected YYYY-MM-DD[.suffix].` };
  if ((m[1] ?? "") > supported) {
    return { ...base, detail: `Revision ${value} is newer than this stand-in (${supported}).` };
  }
  return undefined;
}
