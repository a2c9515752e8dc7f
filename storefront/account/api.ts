// The customer account extensions' calls to the app (app/routes/customer-account.*): each with a
// fresh session token, which the app verifies with its secret; the customer is the token's `sub`.
import { APP_URL } from "./app-url.generated";

export type SessionTokens = { get(): Promise<string> };

/** An answer the app refused, with its code (sign_in, insufficient_points, …) and message. */
export class AccountApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function callApp<T>(
  tokens: SessionTokens,
  path: string,
  body?: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(`${APP_URL}${path}`, {
    method: body ? "POST" : "GET",
    headers: {
      Authorization: `Bearer ${await tokens.get()}`,
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = (await response.json().catch(() => null)) as
    (T & { error?: { code: string; message: string } }) | null;
  if (!response.ok || !answer) {
    const error = answer?.error ?? { code: "unavailable", message: `HTTP ${response.status}` };
    throw new AccountApiError(error.code, error.message);
  }
  return answer;
}

/** A request id per click: a resent click (double tap, retry) redeems once. */
export function newRequestId(): string {
  return `acct-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
