import { describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { decryptSecret } from "~/lib/secrets.server";
import { action, loader } from "~/routes/app.omnisend";
import { connectOmnisend, disconnectOmnisend } from "~/services/omnisend/connection.server";
import { drainOmnisend } from "~/services/omnisend/drain.server";
import {
  adminRequest,
  callLoader,
  callRouteAction,
  dataOf,
  installTestShop,
} from "../../support/admin";
import { rejection } from "../../support/drains";
import { newMember, recordExampleEvent } from "../../support/klaviyo";
import { OMNISEND_KEY, omnisendDeliveries, omnisendStandIn } from "../../support/omnisend";

const CONTACTS_ONLY_KEY = "7712ab34cd56ef7890ab12cd-KeyThatCannotReadContacts0000001";
const NEW_KEY = "8812ab34cd56ef7890ab12cd-TheMerchantsNewKey000000000000001";
const omnisend = omnisendStandIn({
  apiKeys: [OMNISEND_KEY, CONTACTS_ONLY_KEY, NEW_KEY],
  keyScopes: { [CONTACTS_ONLY_KEY]: ["events.write", "contacts.write"] },
});

describe("connecting Omnisend with an API key", () => {
  it("refuses an empty, a Klaviyo, a wrong and an under-scoped key, and stores nothing", async () => {
    const { shop } = await newMember();
    expect((await rejection(connectOmnisend(shop.id, "   "))).message).toBe(
      "omnisend.errors.keyMissing",
    );
    expect((await rejection(connectOmnisend(shop.id, "pk_abcdefabcdefabcdef123456"))).message).toBe(
      "omnisend.errors.klaviyoKey",
    );
    const wrong = await rejection(connectOmnisend(shop.id, `${OMNISEND_KEY}x`));
    expect(wrong.code).toBe("omnisend_key_invalid");
    const scopes = await rejection(connectOmnisend(shop.id, CONTACTS_ONLY_KEY));
    expect(scopes.code).toBe("omnisend_scopes_missing");
    expect(await prisma.omnisendConnection.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("stores the key encrypted, shows a hint, never logs it, and skips what came before", async () => {
    const logged = [
      vi.spyOn(console, "info"),
      vi.spyOn(console, "warn"),
      vi.spyOn(console, "error"),
    ];
    const { shop, member } = await newMember();
    const before = await recordExampleEvent(
      member.id,
      "points.added",
      new Date(Date.now() - 60_000),
    );

    const { hint } = await connectOmnisend(shop.id, ` ${OMNISEND_KEY} `);
    const stored = await prisma.omnisendConnection.findUniqueOrThrow({
      where: { shopId: shop.id },
    });
    expect(stored.encryptedApiKey).not.toContain(OMNISEND_KEY);
    expect(decryptSecret(stored.encryptedApiKey, shop.id)).toBe(OMNISEND_KEY);
    expect(hint).not.toContain(OMNISEND_KEY);
    expect(stored.keyHint).toBe(hint);
    const skipped = (await omnisendDeliveries(shop.id)).filter((d) => d.eventId === before.id);
    expect(skipped).toMatchObject([
      { state: "skipped", lastError: "Recorded before Omnisend was connected" },
    ]);

    // The next drain sends the member as a contact (no event: it came before connecting).
    const report = await drainOmnisend(shop.id);
    const members = await prisma.member.count({ where: { shopId: shop.id, status: "active" } });
    expect(report).toMatchObject({ state: "done", events: { delivered: 0 }, contacts: members });
    expect(omnisend().state.eventsNamed("loyalty points added")).toHaveLength(0);
    const contact = omnisend().state.contactByEmail(member.email!);
    expect(contact?.customProperties).toMatchObject({
      loyalty_member: true,
      loyalty_points_balance: member.pointsBalance,
    });
    // The referral code and link exist from the member's creation (no storefront visit needed).
    const code = await prisma.referralCode.findUniqueOrThrow({
      where: { shopId_memberId: { shopId: shop.id, memberId: member.id } },
    });
    expect(contact?.customProperties.loyalty_referral_code).toBe(code.code);
    expect(contact?.customProperties.loyalty_referral_url).toContain(`ref=${code.code}`);
    // The welcome message Omnisend sends to new contacts is never asked for.
    const upsert = omnisend().state.requests.find(
      (r) => r.method === "POST" && r.path === "/api/contacts",
    );
    expect(upsert?.body).toMatchObject({ identifiers: [{ sendWelcomeMessage: false }] });
    for (const spy of logged) {
      expect(JSON.stringify(spy.mock.calls)).not.toContain(OMNISEND_KEY);
      spy.mockRestore();
    }
  });

  it("stops when Omnisend refuses a deleted key, keeps the events, and a new key resumes", async () => {
    const { shop, member } = await newMember();
    await connectOmnisend(shop.id, OMNISEND_KEY);
    await drainOmnisend(shop.id);
    const waiting = await recordExampleEvent(member.id, "points.added");

    omnisend().state.revokeKey(OMNISEND_KEY);
    const refused = await drainOmnisend(shop.id);
    expect(refused.state).toBe("paused");
    const connection = await prisma.omnisendConnection.findUniqueOrThrow({
      where: { shopId: shop.id },
    });
    expect(connection.status).toBe("revoked");
    expect(await drainOmnisend(shop.id)).toEqual({ state: "not_connected" });
    const delivery = (await omnisendDeliveries(shop.id)).find((d) => d.eventId === waiting.id);
    expect(delivery).toMatchObject({ state: "pending", attempts: 1 });
    expect(delivery?.lastError).toMatch(/Omnisend refused the key/);

    await rejection(connectOmnisend(shop.id, OMNISEND_KEY)); // still deleted
    omnisend().state.reset();
    await connectOmnisend(shop.id, NEW_KEY);
    expect(await drainOmnisend(shop.id)).toMatchObject({ state: "done", events: { delivered: 1 } });
    expect(
      omnisend()
        .state.eventsNamed("loyalty points added")
        .map((e) => e.eventID),
    ).toEqual([waiting.id]);
  });

  it("disconnecting forgets the key; events wait for the next connection", async () => {
    const { shop, member } = await newMember();
    await connectOmnisend(shop.id, OMNISEND_KEY);
    expect(await disconnectOmnisend(shop.id)).toEqual({ disconnected: true });
    const stored = await prisma.omnisendConnection.findUniqueOrThrow({
      where: { shopId: shop.id },
    });
    expect(stored).toMatchObject({ status: "disconnected", encryptedApiKey: "" });
    const event = await recordExampleEvent(member.id, "tier.updated");
    expect(await drainOmnisend(shop.id)).toEqual({ state: "not_connected" });
    expect((await omnisendDeliveries(shop.id)).find((d) => d.eventId === event.id)?.state).toBe(
      "pending",
    );
  });
});

describe("the Omnisend admin page", () => {
  it("connects through the signed admin action and shows the hint, never the key", async () => {
    await installTestShop();
    const page = "/app/omnisend";
    const bad = await callRouteAction(
      action,
      await adminRequest(page, { intent: "connect", apiKey: "pk_x" }),
    );
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/Klaviyo private key/);
    const good = await callRouteAction(
      action,
      await adminRequest(page, { intent: "connect", apiKey: OMNISEND_KEY }),
    );
    expect(good).toMatchObject({ ok: true });
    const status = dataOf(await callLoader(loader, await adminRequest(page)));
    expect(status.connection).toMatchObject({ status: "connected" });
    expect(JSON.stringify(status)).not.toContain(OMNISEND_KEY);
    expect(Object.keys(status.connection ?? {})).not.toContain("encryptedApiKey");
  });
});
