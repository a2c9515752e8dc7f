import { createHash, randomBytes } from "node:crypto";

/**
 * Klaviyo's OAuth endpoints (klaviyo.md §4): authorization code + PKCE (S256), token refresh and
 * revocation. Plain fetch rather than the SDK's OAuthApi: the SDK has no revoke, no timeout on
 * token calls, and would refresh from several processes at once; the service serializes refreshes.
 */
export type OAuthAppCredentials = {
  clientId: string;
  clientSecret: string;
  /** https://www.klaviyo.com/oauth/authorize in production. */
  authorizeUrl: string;
  /** The API origin: token and revoke calls go to a.klaviyo.com (www is blocked since 2025-03-31). */
  apiBaseUrl: string;
  timeoutMs: number;
};

export type TokenSet = {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scopes: string[];
};

/**
 * invalid_grant: the grant is gone (app removed in Klaviyo, revoked, unused for 90 days) — only a
 * new authorization helps. invalid_client: the app's own id/secret are wrong. unavailable: network,
 * timeout or 5xx — try again later.
 */
export type OAuthFailure = "invalid_grant" | "invalid_client" | "unavailable" | "rejected";

export class KlaviyoOAuthError extends Error {
  constructor(
    readonly kind: OAuthFailure,
    readonly detail: string,
  ) {
    super(`Klaviyo OAuth ${kind}: ${detail}`);
    this.name = "KlaviyoOAuthError";
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizeUrl(
  app: OAuthAppCredentials,
  request: { state: string; scopes: readonly string[]; codeChallenge: string; redirectUri: string },
): string {
  const url = new URL(app.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scopes.join(" "),
    state: request.state,
    code_challenge_method: "S256",
    code_challenge: request.codeChallenge,
  }).toString();
  return url.toString();
}

async function post(
  app: OAuthAppCredentials,
  path: string,
  form: Record<string, string>,
): Promise<Response> {
  const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64");
  try {
    return await fetch(new URL(path, app.apiBaseUrl), {
      method: "POST",
      headers: {
        Authorization: `Basic ${basic}`,
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(app.timeoutMs),
    });
  } catch (error) {
    throw new KlaviyoOAuthError("unavailable", (error as Error).message);
  }
}

async function failure(response: Response): Promise<KlaviyoOAuthError> {
  const text = await response.text();
  let error = "";
  let description = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { error?: string; error_description?: string };
    error = body.error ?? "";
    description = body.error_description ?? error;
  } catch {
    // Not JSON (a proxy's error page): the status decides.
  }
  if (response.status >= 500 || response.status === 429) {
    return new KlaviyoOAuthError("unavailable", `HTTP ${response.status}`);
  }
  if (error === "invalid_grant") return new KlaviyoOAuthError("invalid_grant", description);
  if (error === "invalid_client" || response.status === 401) {
    return new KlaviyoOAuthError("invalid_client", description || "client authentication failed");
  }
  return new KlaviyoOAuthError("rejected", description || `HTTP ${response.status}`);
}

async function tokenSet(
  response: Response,
  now: Date,
  previous?: { refreshToken: string; scopes: string[] },
): Promise<TokenSet> {
  if (!response.ok) throw await failure(response);
  const body = (await response.json()) as {
    access_token?: string;
    refresh_token?: string;
    expires_in?: number;
    scope?: string;
  };
  if (!body.access_token || typeof body.expires_in !== "number") {
    throw new KlaviyoOAuthError("rejected", "the token response has no access_token/expires_in");
  }
  const refreshToken = body.refresh_token ?? previous?.refreshToken;
  if (!refreshToken)
    throw new KlaviyoOAuthError("rejected", "the token response has no refresh_token");
  return {
    accessToken: body.access_token,
    // Klaviyo may or may not rotate refresh tokens: keep the old one when none comes back.
    refreshToken,
    expiresAt: new Date(now.getTime() + body.expires_in * 1000),
    scopes: body.scope?.split(" ").filter(Boolean) ?? previous?.scopes ?? [],
  };
}

export async function exchangeCode(
  app: OAuthAppCredentials,
  grant: { code: string; codeVerifier: string; redirectUri: string },
  now = new Date(),
): Promise<TokenSet> {
  const response = await post(app, "/oauth/token", {
    grant_type: "authorization_code",
    code: grant.code,
    code_verifier: grant.codeVerifier,
    redirect_uri: grant.redirectUri,
  });
  return tokenSet(response, now);
}

export async function refreshTokens(
  app: OAuthAppCredentials,
  current: { refreshToken: string; scopes: string[] },
  now = new Date(),
): Promise<TokenSet> {
  const response = await post(app, "/oauth/token", {
    grant_type: "refresh_token",
    refresh_token: current.refreshToken,
  });
  return tokenSet(response, now, current);
}

/** Revoking the refresh token ends the grant (RFC 7009); unknown tokens are not an error. */
export async function revokeToken(app: OAuthAppCredentials, refreshToken: string): Promise<void> {
  const response = await post(app, "/oauth/revoke", {
    token: refreshToken,
    token_type_hint: "refresh_token",
  });
  if (!response.ok) throw await failure(response);
  await response.arrayBuffer();
}
