/**
 * What a failed Omnisend call means for the caller (omnisend.md §2, §5):
 * - throttled: the brand's 400/min window is full (429): wait `retryAfterSeconds`, then retry;
 * - transient: 5xx, timeout or network error: retry with backoff;
 * - unauthorized: the API key is wrong or was deleted in Omnisend (401): ask the merchant;
 * - forbidden: the key lacks a scope the app needs (403): ask the merchant;
 * - retired: Omnisend no longer serves the API version we send (410): the app must be updated;
 * - rejected: Omnisend refused this payload (other 4xx): retrying the same data will not help.
 * `detail` is Omnisend's own Problem Details text (never the key), kept for the merchant to read.
 */
export type OmnisendFailureKind =
  "throttled" | "transient" | "unauthorized" | "forbidden" | "retired" | "rejected";

export class OmnisendApiError extends Error {
  override readonly name = "OmnisendApiError";
  constructor(
    readonly kind: OmnisendFailureKind,
    readonly status: number | null,
    readonly detail: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`Omnisend ${status ?? "network"} ${kind}: ${detail}`);
  }
}

type Problem = {
  title?: string;
  detail?: string;
  retryAfter?: number;
  errors?: { field?: string; message?: string }[];
};

/** RFC 9457 Problem Details as one line: "detail (field: message; …)", capped for storage. */
function describe(body: unknown, status: number): string {
  const problem = (body ?? {}) as Problem;
  const head = problem.detail || problem.title || `HTTP ${status}`;
  const fields = Array.isArray(problem.errors)
    ? problem.errors.map((e) => `${e.field ?? "?"}: ${e.message ?? "invalid"}`).join("; ")
    : "";
  return (fields ? `${head} (${fields})` : head).slice(0, 2000);
}

/**
 * Seconds to wait after a 429: the body's `retryAfter` (the contract's RateLimitProblem), else a
 * Retry-After header, else a tenth of the window. Capped at an hour.
 */
function retryAfter(body: unknown, header: string | null): number {
  const fromBody = Number((body as Problem | null)?.retryAfter);
  const fromHeader = Number(header);
  const seconds = Number.isFinite(fromBody) && fromBody > 0 ? fromBody : fromHeader;
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.ceil(seconds), 3600) : 6;
}

/** Classifies an answer that was not a success. */
export function errorFromResponse(
  status: number,
  body: unknown,
  retryAfterHeader: string | null,
): OmnisendApiError {
  const detail = describe(body, status);
  if (status === 429) {
    return new OmnisendApiError("throttled", status, detail, retryAfter(body, retryAfterHeader));
  }
  if (status >= 500 || status === 408) return new OmnisendApiError("transient", status, detail);
  if (status === 401) return new OmnisendApiError("unauthorized", status, detail);
  if (status === 403) return new OmnisendApiError("forbidden", status, detail);
  if (status === 410) return new OmnisendApiError("retired", status, detail);
  return new OmnisendApiError("rejected", status, detail);
}

/** A request that never got an answer (timeout, refused connection, DNS). */
export function errorFromNetwork(error: unknown): OmnisendApiError {
  const e = error as { name?: string; message?: string; cause?: { code?: string } };
  const timedOut = e?.name === "TimeoutError" || e?.name === "AbortError";
  return new OmnisendApiError(
    "transient",
    null,
    timedOut ? "request timed out" : `network error: ${e?.cause?.code ?? e?.message ?? "unknown"}`,
  );
}
