/**
 * What a failed Klaviyo call means for the caller:
 * - throttled: wait `retryAfterSeconds` (429), then retry;
 * - transient: 5xx, timeout or network error: retry with backoff;
 * - unauthorized: the key or token is invalid or revoked (401): stop and ask the merchant;
 * - forbidden: the credential lacks a scope (403): stop and ask the merchant;
 * - rejected: Klaviyo refused this payload (other 4xx): retrying the same data will not help.
 * `detail` is Klaviyo's own error text (never the credential), stored for the merchant to read.
 */
export type KlaviyoFailureKind =
  "throttled" | "transient" | "unauthorized" | "forbidden" | "rejected";

export class KlaviyoApiError extends Error {
  override readonly name = "KlaviyoApiError";
  constructor(
    readonly kind: KlaviyoFailureKind,
    readonly status: number | null,
    readonly detail: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`Klaviyo ${status ?? "network"} ${kind}: ${detail}`);
  }
}

type AxiosLikeError = {
  code?: string;
  message?: string;
  response?: { status: number; headers?: Record<string, unknown>; data?: unknown };
};

type KlaviyoErrorBody = {
  errors?: { detail?: string; title?: string; source?: { pointer?: string } }[];
};

/** Klaviyo's error list as one line: "detail (at /data/attributes/...)"; capped for storage. */
function describe(data: unknown, fallback: string): string {
  const errors = (data as KlaviyoErrorBody | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return fallback;
  return errors
    .map(
      (e) =>
        `${e.detail ?? e.title ?? "error"}${e.source?.pointer ? ` (at ${e.source.pointer})` : ""}`,
    )
    .join("; ")
    .slice(0, 2000);
}

function retryAfter(headers: Record<string, unknown> | undefined): number {
  const raw = Number(headers?.["retry-after"] ?? headers?.["Retry-After"]);
  // Klaviyo sends whole seconds; without a usable value wait a full burst window.
  return Number.isFinite(raw) && raw >= 0 ? Math.min(Math.ceil(raw), 3600) : 1;
}

/** Turns whatever the SDK (axios) threw into a KlaviyoApiError. */
export function classifyKlaviyoError(error: unknown): KlaviyoApiError {
  if (error instanceof KlaviyoApiError) return error;
  const e = (error ?? {}) as AxiosLikeError;
  const response = e.response;
  if (!response) {
    const timedOut = e.code === "ECONNABORTED" || e.code === "ETIMEDOUT";
    return new KlaviyoApiError(
      "transient",
      null,
      timedOut ? "request timed out" : `network error: ${e.code ?? e.message ?? "unknown"}`,
    );
  }
  const { status } = response;
  const detail = describe(response.data, `HTTP ${status}`);
  if (status === 429) {
    return new KlaviyoApiError("throttled", status, detail, retryAfter(response.headers));
  }
  if (status >= 500 || status === 408) return new KlaviyoApiError("transient", status, detail);
  if (status === 401) return new KlaviyoApiError("unauthorized", status, detail);
  if (status === 403) return new KlaviyoApiError("forbidden", status, detail);
  return new KlaviyoApiError("rejected", status, detail);
}
