import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { translate } from "~/lib/i18n";
import prisma from "~/db.server";
import { clearEnvCache } from "~/env.server";
import { action as klaviyoAction } from "~/routes/app.klaviyo";
import { loader as callbackLoader } from "~/routes/klaviyo.oauth.callback";
import { disconnectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import {
  openTokens,
  refreshStoredTokens,
  sealTokens,
} from "~/services/klaviyo/oauth-tokens.server";
import { finishKlaviyoAuthorization } from "~/services/klaviyo/oauth.server";
import { SANDBOX_OAUTH_CLIENT } from "../../../sandbox/klaviyo/oauth";
import { adminRequest, callRouteAction, installTestShop } from "../../support/admin";
import {
  klaviyoDeliveries,
  klaviyoStandIn,
  memberEvents,
  newMember,
  recordExampleEvent,
} from "../../support/klaviyo";
import { APP_URL } from "../../support/webhooks";

const CALLBACK = `${APP_URL}/klaviyo/oauth/callback`;
// The stand-in's clock: moving it ahead expires access tokens on Klaviyo's side only.
let klaviyoAhead = 0;
const klaviyo = klaviyoStandIn({
  clock: () => Date.now() + klaviyoAhead,
  oauth: { clients: [{ ...SANDBOX_OAUTH_CLIENT, redirectUris: [CALLBACK] }] },
});

beforeAll(() => {
  process.env.KLAVIYO_CLIENT_ID = SANDBOX_OAUTH_CLIENT.clientId;
  process.env.KLAVIYO_CLIENT_SECRET = SANDBOX_OAUTH_CLIENT.clientSecret;
  process.env.KLAVIYO_AUTHORIZE_URL = `${klaviyo().url}/oauth/authorize`;
  clearEnvCache();
});

// The tests share the test shop: each starts from "never connected".
beforeEach(async () => {
  await prisma.klaviyoConnection.deleteMany();
});

/** "Connect with Klaviyo" through the admin route; the URL the popup is sent to. */
async function startFromAdmin(): Promise<URL> {
  const result = await callRouteAction(
    klaviyoAction,
    await adminRequest("/app/klaviyo", { intent: "oauth-start" }),
  );
  expect(result).toMatchObject({ ok: true });
  return new URL(result.authorizeUrl!);
}

/** The merchant's answer on Klaviyo's consent page: where Klaviyo redirects the popup. */
async function consent(
  authorize: URL,
  decision: "allow" | "deny",
  change: Record<string, string> = {},
) {
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("events:write");
  const form = new URLSearchParams(authorize.searchParams);
  for (const [key, value] of Object.entries(change)) form.set(key, value);
  form.set("decision", decision);
  const answer = await fetch(new URL("/oauth/authorize", klaviyo().url), {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return answer.headers.get("location")!;
}

async function callback(url: string) {
  const response = (await callbackLoader({
    request: new Request(url),
    params: {},
    context: {},
  })) as Response;
  return { status: response.status, html: await response.text() };
}

async function connectedMember() {
  await installTestShop();
  const { shop, member } = await newMember();
  const returned = await callback(await consent(await startFromAdmin(), "allow"));
  expect(returned.html.replace(/^[\s\S]*role="status">/, "")).toContain("Connected to");
  expect(returned.status).toBe(200);
  return { shop, member, returned };
}

const storedTokens = async (shopId: string) =>
  openTokens(
    shopId,
    (await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId } })).encryptedCredential,
  );

describe("connecting Klaviyo with OAuth (authorization code + PKCE)", () => {
  it("stores the tokens encrypted and delivers events with a Bearer token; nothing is logged", async () => {
    const logs = vi.spyOn(console, "info");
    const { shop, member, returned } = await connectedMember();
    expect(returned.html).toContain("window.opener.postMessage");
    expect(returned.html).toContain('"key":"klaviyo.result.connected"');

    const connection = await prisma.klaviyoConnection.findUniqueOrThrow({
      where: { shopId: shop.id },
    });
    expect(connection).toMatchObject({ authKind: "oauth", status: "connected" });
    const tokens = await storedTokens(shop.id);
    expect(connection.encryptedCredential).not.toContain(tokens.accessToken);
    expect(connection.encryptedCredential).not.toContain(tokens.refreshToken);
    expect(tokens.scopes).toEqual(expect.arrayContaining(["events:write", "profiles:write"]));
    expect(await prisma.klaviyoOAuthRequest.count()).toBe(0);

    await recordExampleEvent(member.id, "points.added");
    expect((await drainKlaviyo(shop.id)).state).toBe("done");
    expect(memberEvents(klaviyo(), "Loyalty Points Added")).toHaveLength(1);
    const eventCalls = klaviyo().state.requests.filter((r) => r.path.startsWith("/api/event"));
    expect(eventCalls.length).toBeGreaterThan(0);
    expect(eventCalls.every((r) => r.auth === "oauth")).toBe(true);

    const printed = logs.mock.calls.flat().join("\n");
    expect(printed).not.toContain(tokens.accessToken);
    expect(printed).not.toContain(tokens.refreshToken);
    logs.mockRestore();
  });

  it("a denied, forged, replayed or expired answer connects nothing", async () => {
    await installTestShop();
    await newMember();
    const denied = await callback(await consent(await startFromAdmin(), "deny"));
    expect(denied.status).toBe(400);
    expect(denied.html).toContain("not allowed");

    const forged = await callback(`${CALLBACK}?code=kac_x&state=made-up`);
    expect(forged.status).toBe(400);

    const authorize = await startFromAdmin();
    const redirect = await consent(authorize, "allow");
    const late = new Date(Date.now() + 11 * 60_000);
    const expired = await finishKlaviyoAuthorization(
      Object.fromEntries(new URL(redirect).searchParams),
      late,
    ).catch((e: Error) => e);
    // A copy key the admin window writes in the staff member's language.
    expect((expired as Error).message).toBe("klaviyo.oauth.error.expired");
    expect(translate("en", "klaviyo.oauth.error.expired")).toContain("10 minutes");
    // The state was used up by the late attempt: the same answer cannot be replayed in time.
    expect((await callback(redirect)).status).toBe(400);
    expect(await prisma.klaviyoConnection.count({ where: { status: "connected" } })).toBe(0);
  });

  it("a grant without every scope is revoked and not stored", async () => {
    await installTestShop();
    await newMember();
    const narrowed = await consent(await startFromAdmin(), "allow", {
      scope: "accounts:read events:write",
    });
    const returned = await callback(narrowed);
    expect(returned.status).toBe(422);
    expect(returned.html).toContain("profiles:write");
    expect(await prisma.klaviyoConnection.count({ where: { status: "connected" } })).toBe(0);
  });

  it("an expiring token is refreshed once, even when two workers refresh at the same time", async () => {
    const { shop, member } = await connectedMember();
    const before = await storedTokens(shop.id);
    const stale = { ...before, expiresAt: new Date(Date.now() + 10_000) };
    await prisma.klaviyoConnection.update({
      where: { shopId: shop.id },
      data: { encryptedCredential: sealTokens(shop.id, stale) },
    });
    const refreshes = () =>
      klaviyo().oauth.tokenRequests.filter((r) => r.grantType === "refresh_token").length;
    const refreshesBefore = refreshes();

    const [a, b] = await Promise.all([
      refreshStoredTokens(shop.id, null),
      refreshStoredTokens(shop.id, null),
    ]);

    expect(refreshes() - refreshesBefore).toBe(1);
    expect(a.accessToken).toBe(b.accessToken);
    expect(a.accessToken).not.toBe(before.accessToken);
    await recordExampleEvent(member.id, "points.added");
    expect((await drainKlaviyo(shop.id)).state).toBe("done");
  });

  it("a token Klaviyo no longer accepts (401) is refreshed and the request retried once", async () => {
    const { shop, member } = await connectedMember();
    const before = await storedTokens(shop.id);
    klaviyoAhead = 2 * 3600_000; // Klaviyo's side: the access token has expired.
    try {
      await recordExampleEvent(member.id, "points.added");
      expect((await drainKlaviyo(shop.id)).state).toBe("done");
      expect(memberEvents(klaviyo(), "Loyalty Points Added").length).toBeGreaterThan(0);
      expect((await storedTokens(shop.id)).accessToken).not.toBe(before.accessToken);
    } finally {
      klaviyoAhead = 0;
    }
  });

  it("when Klaviyo ends the grant the connection stops with a reason and events wait", async () => {
    const { shop, member } = await connectedMember();
    klaviyo().oauth.revokeAll();
    await recordExampleEvent(member.id, "tier.updated");
    await drainKlaviyo(shop.id);

    const connection = await prisma.klaviyoConnection.findUniqueOrThrow({
      where: { shopId: shop.id },
    });
    expect(connection.status).toBe("revoked");
    expect(connection.statusReason).toContain("Connect again");
    const waiting = (await klaviyoDeliveries(shop.id)).filter((d) => d.state === "pending");
    expect(waiting.length).toBeGreaterThan(0);
  });

  it("disconnecting revokes the grant at Klaviyo", async () => {
    const { shop } = await connectedMember();
    const tokens = await storedTokens(shop.id);
    expect(klaviyo().oauth.checkBearer(tokens.accessToken)).toMatchObject({ valid: true });

    const result = await disconnectKlaviyo(shop.id);

    expect(result).toEqual({ disconnected: true, revoked: true });
    expect(klaviyo().oauth.checkBearer(tokens.accessToken)).toMatchObject({ valid: false });
    const connection = await prisma.klaviyoConnection.findUniqueOrThrow({
      where: { shopId: shop.id },
    });
    expect(connection.encryptedCredential).toBe("");
  });
});
