import type { OmnisendContactUpdate, OmnisendEvent } from "~/domain/omnisend";
import { errorFromNetwork, errorFromResponse, OmnisendApiError } from "./errors";
import type { OmnisendRateLimiter } from "./rate-limiter";

/** The API version sent on every request (omnisend.md §1); a retired one answers 410. */
export const OMNISEND_VERSION = "2026-03-15";

/** Omnisend documents no timeout of its own: a hung request must not hang a worker. */
export const REQUEST_TIMEOUT_MS = 15_000;

export interface OmnisendClient {
  /** A real call that proves the key works and may read contacts (GET /contacts?limit=1). */
  checkKey(): Promise<void>;
  /** POST /events: records the event and creates or updates its contact (202). */
  sendEvent(event: OmnisendEvent): Promise<void>;
  /** POST /contacts: creates or updates the contact with that email or phone (200/201). */
  upsertContact(update: OmnisendContactUpdate): Promise<void>;
}

export type OmnisendClientOptions = {
  baseUrl: string;
  /** The brand the key belongs to, as the limiter knows it (the shop: one brand per shop). */
  brand: string;
  limiter: OmnisendRateLimiter;
  timeoutMs?: number;
};

/**
 * Omnisend over plain fetch (there is no official Node SDK for the 2026 API): the key in
 * `Authorization: Omnisend-API-Key …`, the version header, Problem Details turned into
 * OmnisendApiError. No retries here: the outbox retries, after the pause a failure asks for.
 */
export function omnisendClient(apiKey: string, options: OmnisendClientOptions): OmnisendClient {
  const { baseUrl, brand, limiter, timeoutMs = REQUEST_TIMEOUT_MS } = options;
  const call = async (method: string, path: string, body?: unknown) => {
    const takenAt = await limiter.acquire(brand);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Omnisend-API-Key ${apiKey}`,
          "Omnisend-Version": OMNISEND_VERSION,
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw errorFromNetwork(error);
    } finally {
      limiter.settle(brand, takenAt);
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const text = await response.text().catch(() => "");
    const error = errorFromResponse(
      response.status,
      parse(text),
      response.headers.get("retry-after"),
    );
    if (error.kind === "throttled") limiter.fill(brand, (error.retryAfterSeconds ?? 1) * 1000);
    throw error;
  };
  return {
    checkKey: () => call("GET", "/contacts?limit=1"),
    sendEvent: (event) => call("POST", "/events", event),
    upsertContact: (update) => call("POST", "/contacts", update),
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 500) || undefined };
  }
}

export { OmnisendApiError };
