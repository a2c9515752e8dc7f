import { describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { decryptSecret } from "~/lib/secrets.server";
import { connectKlaviyo, disconnectKlaviyo } from "~/services/klaviyo/connection.server";
import { drainKlaviyo } from "~/services/klaviyo/drain.server";
import { action as klaviyoPage } from "~/routes/app.klaviyo";
import { adminRequest, callRouteAction, installTestShop } from "../../support/admin";
import { rejection } from "../../support/drains";
import {
  KLAVIYO_KEY,
  klaviyoDeliveries,
  klaviyoStandIn,
  newMember,
  recordExampleEvent,
  memberEvents,
} from "../../support/klaviyo";

const NO_EVENTS_KEY = "pk_noevents0123456789abcdef0123456789ab";
const REVOKED_KEY = "pk_revoked0123456789abcdef0123456789abc";
const klaviyo = klaviyoStandIn({
  apiKeys: [KLAVIYO_KEY, NO_EVENTS_KEY],
  keyScopes: {
    [NO_EVENTS_KEY]: [
      "accounts:read",
      "profiles:read",
      "profiles:write",
      "lists:read",
      "lists:write",
    ],
  },
});

describe("connecting Klaviyo with a private key", () => {
  it("refuses a malformed, a revoked and an under-scoped key, and stores nothing", async () => {
    const { shop } = await newMember();
    expect((await rejection(connectKlaviyo(shop.id, "sk_live_123"))).code).toBe("invalid_input");
    expect((await rejection(connectKlaviyo(shop.id, REVOKED_KEY))).code).toBe(
      "klaviyo_key_invalid",
    );
    const scopes = await rejection(connectKlaviyo(shop.id, NO_EVENTS_KEY));
    expect(scopes.code).toBe("klaviyo_scopes_missing");
    expect(String(scopes.params?.scopes)).toContain("events:write");
    expect(await prisma.klaviyoConnection.count()).toBe(0);
  });

  it("stores the key encrypted, shows only a hint, and never logs it", async () => {
    const logs = vi.spyOn(console, "info");
    const warnings = vi.spyOn(console, "error");
    const { shop, member } = await newMember();
    await recordExampleEvent(member.id, "points.added", new Date(Date.now() - 60_000));

    const result = await connectKlaviyo(shop.id, ` ${KLAVIYO_KEY} `);

    expect(result.hint).toBe(`pk_…${KLAVIYO_KEY.slice(-4)}`);
    const stored = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(stored.encryptedCredential).not.toContain(KLAVIYO_KEY.slice(3));
    expect(decryptSecret(stored.encryptedCredential, shop.id)).toBe(KLAVIYO_KEY);
    expect(stored.accountId).toBe(klaviyo().state.account.id);
    // History from before the connection is not sent as live events (flows would fire for it).
    const before = await klaviyoDeliveries(shop.id);
    expect(before.every((d) => d.state === "skipped")).toBe(true);

    await recordExampleEvent(member.id, "points.added");
    const drained = await drainKlaviyo(shop.id);
    expect(drained.state).toBe("done");
    expect(memberEvents(klaviyo(), "Loyalty Points Added")).toHaveLength(1);

    const printed = [...logs.mock.calls, ...warnings.mock.calls].flat().join("\n");
    expect(printed).not.toContain(KLAVIYO_KEY);
    logs.mockRestore();
    warnings.mockRestore();
  });

  it("a disconnect stops delivery and keeps the queue; reconnecting delivers it", async () => {
    const { shop, member } = await newMember();
    await connectKlaviyo(shop.id, KLAVIYO_KEY);
    await drainKlaviyo(shop.id);
    const sentBefore = klaviyo().state.events.length;

    await disconnectKlaviyo(shop.id);
    await recordExampleEvent(member.id, "tier.updated");
    expect((await drainKlaviyo(shop.id)).state).toBe("not_connected");
    expect(klaviyo().state.events.length).toBe(sentBefore);
    const stored = await prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(stored.encryptedCredential).toBe("");

    await connectKlaviyo(shop.id, KLAVIYO_KEY);
    await drainKlaviyo(shop.id);
    expect(memberEvents(klaviyo(), "Loyalty Tier Updated")).toHaveLength(1);
  });

  it("the admin names a refused or under-scoped key in the staff member's language", async () => {
    await installTestShop();
    await newMember();
    const before = await prisma.klaviyoConnection.findMany();
    const connect = async (apiKey: string, locale: string) =>
      callRouteAction(
        klaviyoPage,
        await adminRequest(`/app/klaviyo?locale=${locale}`, { intent: "connect", apiKey }),
      );
    // GIVEN a French admin WHEN Klaviyo refuses the key THEN the page says so in French
    const revoked = await connect(REVOKED_KEY, "fr");
    expect(revoked).toEqual({
      ok: false,
      message: expect.stringMatching(/^Klaviyo n’a pas accepté cette clé\./),
    });
    const scoped = await connect(NO_EVENTS_KEY, "fr");
    expect(scoped.ok).toBe(false);
    expect(scoped.message).toMatch(/^Il manque à cette clé\u00a0: .*events:write/);
    // The same refusal for an English admin, in English; never a copy key.
    const english = await connect(NO_EVENTS_KEY, "en");
    expect(english.message).toMatch(/^This key is missing .*events:write.*\. Create a key/);
    expect(await prisma.klaviyoConnection.findMany()).toEqual(before);
  });
});
