import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SANDBOX_OAUTH_CLIENT } from "./oauth";
import { standInPerTest } from "./test-helpers";

const { start, s } = standInPerTest();
const REDIRECT = "https://loyalty-app.test/klaviyo/oauth/callback";
const VERIFIER = "a-verifier-long-enough-for-pkce-0123456789abcdefghijklmnop";
const CHALLENGE = createHash("sha256").update(VERIFIER).digest("base64url");
const basic = (secret: string = SANDBOX_OAUTH_CLIENT.clientSecret) =>
  `Basic ${Buffer.from(`${SANDBOX_OAUTH_CLIENT.clientId}:${secret}`).toString("base64")}`;

function authorizeParams(overrides: Record<string, string> = {}) {
  return new URLSearchParams({
    response_type: "code",
    client_id: SANDBOX_OAUTH_CLIENT.clientId,
    redirect_uri: REDIRECT,
    scope: "accounts:read events:write",
    state: "st4te",
    code_challenge_method: "S256",
    code_challenge: CHALLENGE,
    ...overrides,
  });
}

async function allow(overrides: Record<string, string> = {}) {
  const form = authorizeParams({ ...overrides, decision: "allow" });
  const r = await fetch(`${s().url}/oauth/authorize`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  return new URL(r.headers.get("location")!);
}

async function token(form: Record<string, string>, secret?: string) {
  const r = await fetch(`${s().url}/oauth/token`, {
    method: "POST",
    headers: { Authorization: basic(secret), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  return { status: r.status, body: (await r.json()) as Record<string, string | number> };
}

const exchange = (code: string, verifier = VERIFIER) =>
  token({
    grant_type: "authorization_code",
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT,
  });

async function accounts(accessToken: string) {
  const r = await fetch(`${s().url}/api/accounts`, {
    headers: { Authorization: `Bearer ${accessToken}`, revision: "2026-07-15" },
  });
  return r.status;
}

const options = { oauth: { clients: [{ ...SANDBOX_OAUTH_CLIENT, redirectUris: [REDIRECT] }] } };

describe("the stand-in's OAuth authorization server", () => {
  it("issues tokens for a code with the right PKCE verifier, once", async () => {
    await start(options);
    const back = await allow();
    expect(back.searchParams.get("state")).toBe("st4te");
    const code = back.searchParams.get("code")!;

    const wrongVerifier = await exchange(code, "not-the-verifier");
    expect(wrongVerifier).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    // The failed attempt used the code up, as a leaked code must not be retried.
    const code2 = (await allow()).searchParams.get("code")!;
    const issued = await exchange(code2);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(issued.body.scope).toBe("accounts:read events:write");
    expect((await exchange(code2)).body.error).toBe("invalid_grant");
    expect(await accounts(String(issued.body.access_token))).toBe(200);
  });

  it("refuses a wrong client secret, an unregistered redirect and an unknown scope", async () => {
    await start(options);
    const code = (await allow()).searchParams.get("code")!;
    const r = await token(
      { grant_type: "authorization_code", code, code_verifier: VERIFIER, redirect_uri: REDIRECT },
      "wrong",
    );
    expect(r).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const page = await fetch(
      `${s().url}/oauth/authorize?${authorizeParams({ redirect_uri: "https://evil.test/cb" })}`,
      {
        redirect: "manual",
      },
    );
    expect(page.status).toBe(400);
    const badScope = await allow({ scope: "accounts:read everything:write" });
    expect(badScope.searchParams.get("error")).toBe("invalid_scope");
  });

  it("expires access tokens, rotates refresh tokens and ends the grant on revoke", async () => {
    const clock = await start(options);
    const code = (await allow()).searchParams.get("code")!;
    const first = (await exchange(code)).body;
    clock.advance(3601_000);
    expect(await accounts(String(first.access_token))).toBe(401);

    const refreshed = await token({
      grant_type: "refresh_token",
      refresh_token: String(first.refresh_token),
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect(await accounts(String(refreshed.body.access_token))).toBe(200);
    const reused = await token({
      grant_type: "refresh_token",
      refresh_token: String(first.refresh_token),
    });
    expect(reused.body.error).toBe("invalid_grant");

    const revoke = await fetch(`${s().url}/oauth/revoke`, {
      method: "POST",
      headers: { Authorization: basic(), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: String(refreshed.body.refresh_token) }),
    });
    expect(revoke.status).toBe(200);
    expect(await accounts(String(refreshed.body.access_token))).toBe(401);
  });

  it("applies an access token's scopes to the API", async () => {
    await start(options);
    const code = (await allow({ scope: "accounts:read" })).searchParams.get("code")!;
    const { access_token } = (await exchange(code)).body;
    const r = await fetch(`${s().url}/api/lists`, {
      headers: { Authorization: `Bearer ${access_token}`, revision: "2026-07-15" },
    });
    expect(r.status).toBe(403);
  });
});
