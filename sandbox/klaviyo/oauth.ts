/**
 * Klaviyo's OAuth authorization server, as the stand-in plays it: authorization code + PKCE (S256)
 * at /oauth/authorize, tokens at /oauth/token, revocation at /oauth/revoke (klaviyo.md §4).
 *
 * Documented: the authorize parameters, Basic client authentication and form-encoded bodies on the
 * token endpoint, `invalid_grant` for a refresh token that was revoked or is unknown. Guessed (not
 * documented): the access-token lifetime (1 hour here), that a refresh returns a new refresh token
 * and retires the old one (the stricter choice: an app that refreshes twice at once breaks here),
 * and the consent page itself.
 */
import { createHash, randomBytes } from "node:crypto";

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface OAuthOptions {
  clients?: OAuthClient[];
  accessTokenTtlSeconds?: number;
}

/** The client the sandbox app is configured with (a public, sandbox-only secret). */
export const SANDBOX_OAUTH_CLIENT = {
  clientId: "sandbox-loyalty-klaviyo-client",
  clientSecret: "sandbox-loyalty-klaviyo-secret",
} as const;

const KNOWN_SCOPES = new Set([
  "accounts:read",
  "events:read",
  "events:write",
  "profiles:read",
  "profiles:write",
  "lists:read",
  "lists:write",
  "metrics:read",
  "subscriptions:write",
]);

interface Grant {
  clientId: string;
  scopes: string[];
  /** Set when revoked: every token of the grant stops working. */
  revoked: boolean;
}

interface PendingCode {
  grant: Grant;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
}

export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type BearerCheck =
  { known: false } | { known: true; valid: false } | { known: true; valid: true; scopes: string[] };

const token = (prefix: string) => `${prefix}_${randomBytes(24).toString("base64url")}`;
const json = (status: number, body: object): HttpReply => ({
  status,
  headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  body: JSON.stringify(body),
});
const oauthError = (status: number, error: string, description: string) =>
  json(status, { error, error_description: description });
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class OAuthAuthority {
  private readonly clients: OAuthClient[];
  private readonly ttlSeconds: number;
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  /** Token endpoint calls by grant type, so tests can count refreshes. */
  readonly tokenRequests: { grantType: string; status: number }[] = [];

  constructor(
    private readonly clock: () => number,
    options: OAuthOptions = {},
  ) {
    this.clients = options.clients ?? [{ ...SANDBOX_OAUTH_CLIENT, redirectUris: [] }];
    this.ttlSeconds = options.accessTokenTtlSeconds ?? 3600;
  }

  /** Lets a test register the redirect URI it learns only after its server started. */
  allowRedirect(clientId: string, redirectUri: string) {
    this.clients.find((c) => c.clientId === clientId)?.redirectUris.push(redirectUri);
  }

  /** Revokes a grant as if the merchant removed the app in Klaviyo. */
  revokeAll() {
    for (const grant of this.refreshTokens.values()) grant.revoked = true;
  }

  checkBearer(value: string): BearerCheck {
    const entry = this.accessTokens.get(value);
    if (!entry) return { known: false };
    if (entry.grant.revoked || entry.expiresAt <= this.clock())
      return { known: true, valid: false };
    return { known: true, valid: true, scopes: entry.grant.scopes };
  }

  handle(method: string, url: URL, authorization: string | undefined, body: string): HttpReply {
    const form = new URLSearchParams(body);
    if (url.pathname === "/oauth/authorize" && method === "GET") return this.consentPage(url);
    if (url.pathname === "/oauth/authorize" && method === "POST") return this.decide(form);
    if (method !== "POST") return oauthError(405, "invalid_request", "Method not allowed");
    const client = this.authenticateClient(authorization);
    if (url.pathname === "/oauth/token") {
      const reply = client
        ? this.issue(client, form)
        : oauthError(401, "invalid_client", "Client authentication failed");
      this.tokenRequests.push({ grantType: form.get("grant_type") ?? "", status: reply.status });
      return reply;
    }
    if (url.pathname === "/oauth/revoke") {
      if (!client) return oauthError(401, "invalid_client", "Client authentication failed");
      return this.revoke(client, form.get("token") ?? "");
    }
    return oauthError(404, "invalid_request", `No route for ${method} ${url.pathname}`);
  }

  private authenticateClient(header: string | undefined): OAuthClient | undefined {
    const encoded = /^Basic\s+(\S+)$/.exec(header ?? "")?.[1];
    if (!encoded) return undefined;
    const [id, secret] = Buffer.from(encoded, "base64").toString("utf8").split(":");
    return this.clients.find((c) => c.clientId === id && c.clientSecret === secret);
  }

  /** Problems with client_id or redirect_uri are shown, never redirected (RFC 6749 §4.1.2.1). */
  private authorizeRequest(params: URLSearchParams) {
    const client = this.clients.find((c) => c.clientId === params.get("client_id"));
    if (!client) return { page: "Unknown client_id." } as const;
    const redirectUri = params.get("redirect_uri") ?? "";
    if (!client.redirectUris.includes(redirectUri)) {
      return { page: `redirect_uri ${redirectUri} is not registered for this app.` } as const;
    }
    const scopes = (params.get("scope") ?? "").split(" ").filter(Boolean);
    let problem: string | undefined;
    if (params.get("response_type") !== "code") problem = "unsupported_response_type";
    else if (params.get("code_challenge_method") !== "S256" || !params.get("code_challenge")) {
      problem = "invalid_request";
    } else if (scopes.length === 0 || scopes.some((s) => !KNOWN_SCOPES.has(s))) {
      problem = "invalid_scope";
    }
    return { client, redirectUri, scopes, problem } as const;
  }

  private redirect(redirectUri: string, params: Record<string, string>): HttpReply {
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    return { status: 302, headers: { Location: target.toString() } };
  }

  private consentPage(url: URL): HttpReply {
    const request = this.authorizeRequest(url.searchParams);
    if ("page" in request) return { status: 400, body: request.page };
    const state = url.searchParams.get("state") ?? "";
    if (request.problem)
      return this.redirect(request.redirectUri, { error: request.problem, state });
    const hidden = [...url.searchParams]
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join("");
    const scopes = request.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join("");
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Klaviyo – authorize app</title>
<style>body{font:16px system-ui;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem;margin-right:.5rem}</style></head>
<body><main><h1>Allow the loyalty app to access your Klaviyo account?</h1><p>It asks for:</p><ul>${scopes}</ul>
<form method="post" action="/oauth/authorize">${hidden}
<button name="decision" value="allow">Allow</button><button name="decision" value="deny">Deny</button></form></main></body></html>`;
    return { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: html };
  }

  private decide(form: URLSearchParams): HttpReply {
    const request = this.authorizeRequest(form);
    if ("page" in request) return { status: 400, body: request.page };
    const state = form.get("state") ?? "";
    if (request.problem)
      return this.redirect(request.redirectUri, { error: request.problem, state });
    if (form.get("decision") !== "allow") {
      return this.redirect(request.redirectUri, { error: "access_denied", state });
    }
    const code = token("kac");
    this.codes.set(code, {
      grant: { clientId: request.client.clientId, scopes: request.scopes, revoked: false },
      redirectUri: request.redirectUri,
      codeChallenge: form.get("code_challenge") ?? "",
      expiresAt: this.clock() + 10 * 60_000,
    });
    return this.redirect(request.redirectUri, { code, state });
  }

  private issue(client: OAuthClient, form: URLSearchParams): HttpReply {
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") {
      const code = this.codes.get(form.get("code") ?? "");
      // A code is single-use whatever happens next.
      this.codes.delete(form.get("code") ?? "");
      if (!code || code.expiresAt <= this.clock() || code.grant.clientId !== client.clientId) {
        return oauthError(400, "invalid_grant", "The authorization code is invalid or expired");
      }
      if (code.redirectUri !== form.get("redirect_uri")) {
        return oauthError(400, "invalid_grant", "redirect_uri does not match the authorization");
      }
      const verifier = form.get("code_verifier") ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      if (challenge !== code.codeChallenge) {
        return oauthError(400, "invalid_grant", "code_verifier does not match the code_challenge");
      }
      return this.tokens(code.grant);
    }
    if (grantType === "refresh_token") {
      const presented = form.get("refresh_token") ?? "";
      const grant = this.refreshTokens.get(presented);
      if (!grant || grant.revoked || grant.clientId !== client.clientId) {
        return oauthError(400, "invalid_grant", "The refresh token is invalid or was revoked");
      }
      this.refreshTokens.delete(presented);
      return this.tokens(grant);
    }
    return oauthError(400, "unsupported_grant_type", `Unsupported grant_type ${grantType ?? ""}`);
  }

  private tokens(grant: Grant): HttpReply {
    const accessToken = token("kat");
    const refreshToken = token("krt");
    this.accessTokens.set(accessToken, { grant, expiresAt: this.clock() + this.ttlSeconds * 1000 });
    this.refreshTokens.set(refreshToken, grant);
    return json(200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: this.ttlSeconds,
      refresh_token: refreshToken,
      scope: grant.scopes.join(" "),
    });
  }

  /** RFC 7009: revoking either token ends the whole grant; unknown tokens still get 200. */
  private revoke(client: OAuthClient, value: string): HttpReply {
    const grant = this.refreshTokens.get(value) ?? this.accessTokens.get(value)?.grant;
    if (grant && grant.clientId === client.clientId) grant.revoked = true;
    return { status: 200 };
  }
}
