/**
 * RFC 9457 Problem Details as Omnisend's 2026 API returns them: `Problem`, `ValidationProblem`
 * (adds `errors[]`) and `RateLimitProblem` (adds `retryAfter`). The `type` URIs and titles are
 * the stand-in's own wording; the contract only gives `https://problems.omnisend.com/problem`
 * as an example.
 */
import { randomUUID } from "node:crypto";
import type { JsonObject } from "./model";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface FieldError {
  /** Dot-separated path to the field, e.g. `contact.customProperties` or `identifiers.0.id`. */
  field: string;
  code: string;
  message: string;
}

export interface ProblemReply {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ["bad-request", "Bad Request"],
  401: ["unauthorized", "Unauthorized"],
  403: ["forbidden", "Forbidden"],
  404: ["not-found", "Not Found"],
  405: ["method-not-allowed", "Method Not Allowed"],
  409: ["conflict", "Conflict"],
  410: ["version-retired", "API Version Retired"],
  429: ["rate-limit-exceeded", "Too Many Requests"],
  500: ["internal-error", "Internal Server Error"],
  502: ["bad-gateway", "Bad Gateway"],
  503: ["service-unavailable", "Service Unavailable"],
  504: ["gateway-timeout", "Gateway Timeout"],
};

function base(status: number, detail: string, slug?: string): JsonObject {
  const [defaultSlug, title] = TITLES[status] ?? ["problem", "Problem"];
  return {
    type: `https://problems.omnisend.com/${slug ?? defaultSlug}`,
    title,
    status,
    detail,
    instance: `urn:omnisend:request:${randomUUID()}`,
  };
}

export function problem(status: number, detail: string): ProblemReply {
  return { status, body: base(status, detail) };
}

export function validationProblem(errors: FieldError[]): ProblemReply {
  const detail =
    errors.length === 1
      ? `Validation failed for field '${errors[0]!.field}'.`
      : `Validation failed for ${errors.length} fields.`;
  const body = base(400, detail, "validation-error");
  body.title = "Validation Failed";
  body.errors = errors.map((e) => ({ ...e }));
  return { status: 400, body };
}

/** `retryAfter` is whole seconds, at least 1, also sent as the `Retry-After` header. */
export function rateLimitProblem(retryAfterSeconds: number): ProblemReply {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  const body = base(429, `Rate limit exceeded. Retry after ${seconds} seconds.`);
  body.retryAfter = seconds;
  return { status: 429, body, headers: { "Retry-After": String(seconds) } };
}

/** Thrown by route handlers; the server answers with its problem. */
export class ProblemError extends Error {
  constructor(readonly reply: ProblemReply) {
    super(String(reply.body.detail));
  }
}

export function failWith(status: number, detail: string): never {
  throw new ProblemError(problem(status, detail));
}

export function failValidation(errors: FieldError[]): never {
  throw new ProblemError(validationProblem(errors));
}
