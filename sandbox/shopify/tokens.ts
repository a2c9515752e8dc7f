import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";

/**
 * Shopify's side of embedded-app auth: App Bridge's session tokens (HS256 JWTs signed with the
 * app's secret) and the token exchange that turns one into an offline access token
 * (shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange).
 */
export class TokenAuthority {
  private readonly accessTokens = new Map<string, { scope: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, string>();

  constructor(
    private readonly app: { apiKey: string; apiSecret: string; scopes: string[] },
    private readonly shop: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async sessionToken(userId = "1"): Promise<string> {
    const now = Math.floor(this.clock() / 1000);
    return new SignJWT({ dest: `https://${this.shop}`, sid: randomUUID() })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(`https://${this.shop}/admin`)
      .setAudience(this.app.apiKey)
      .setSubject(userId)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + 60)
      .setJti(randomUUID())
      .sign(new TextEncoder().encode(this.app.apiSecret));
  }

  isValidAccessToken = (token: string) => {
    const grant = this.accessTokens.get(token);
    return grant !== undefined && grant.expiresAt > this.clock();
  };

  /** POST /admin/oauth/access_token: token exchange or refresh, form or JSON encoded. */
  async handle(request: Request): Promise<Response> {
    const body = await readBody(request);
    if (body.client_id !== this.app.apiKey || body.client_secret !== this.app.apiSecret) {
      return Response.json({ error: "invalid_client" }, { status: 401 });
    }
    if (body.grant_type === "urn:ietf:params:oauth:grant-type:token-exchange") {
      try {
        await jwtVerify(body.subject_token ?? "", new TextEncoder().encode(this.app.apiSecret), {
          audience: this.app.apiKey,
        });
      } catch {
        return Response.json({ error: "invalid_subject_token" }, { status: 400 });
      }
      return Response.json(this.issue(body.expiring === "1"));
    }
    if (body.grant_type === "refresh_token") {
      const owner = this.refreshTokens.get(body.refresh_token ?? "");
      if (!owner) return Response.json({ error: "invalid_grant" }, { status: 400 });
      this.refreshTokens.delete(body.refresh_token ?? "");
      return Response.json(this.issue(true));
    }
    return Response.json({ error: "unsupported_grant_type" }, { status: 400 });
  }

  private issue(expiring: boolean) {
    const accessToken = `shpat_${randomBytes(16).toString("hex")}`;
    const scope = this.app.scopes.join(",");
    const lifetime = expiring ? 3600 : 10 * 365 * 24 * 3600;
    this.accessTokens.set(accessToken, { scope, expiresAt: this.clock() + lifetime * 1000 });
    if (!expiring) return { access_token: accessToken, scope };
    const refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
    this.refreshTokens.set(refreshToken, accessToken);
    return {
      access_token: accessToken,
      scope,
      expires_in: lifetime,
      refresh_token: refreshToken,
      refresh_token_expires_in: 30 * 24 * 3600,
    };
  }
}

async function readBody(request: Request): Promise<Record<string, string | undefined>> {
  const text = await request.text();
  if ((request.headers.get("content-type") ?? "").includes("application/json")) {
    return JSON.parse(text) as Record<string, string>;
  }
  return Object.fromEntries(new URLSearchParams(text));
}
