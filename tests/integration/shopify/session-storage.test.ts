import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { RawLoadSessionStorage } from "~/integrations/shopify/session-storage.server";

/**
 * The app's session storage loads with one raw statement (ADR 0076); whatever was stored, it must
 * give the same Session as the library's Prisma storage, which it replaces only for loading.
 */
const library = new PrismaSessionStorage(prisma);
const app = new RawLoadSessionStorage(prisma, {});

const SHOP = "session-storage.myshopify.com";

const sessions = {
  "an offline session with an expiring token and a refresh token": new Session({
    id: `offline_${SHOP}`,
    shop: SHOP,
    state: "state-1",
    isOnline: false,
    scope: "read_customers,write_discounts",
    accessToken: "shpat_offline",
    expires: new Date("2027-01-01T00:00:00.000Z"),
    refreshToken: "shprt_refresh",
    refreshTokenExpires: new Date("2027-03-01T00:00:00.000Z"),
  }),
  "an online session with its user": new Session({
    id: `${SHOP}_42`,
    shop: SHOP,
    state: "state-2",
    isOnline: true,
    scope: "read_customers",
    accessToken: "shpua_online",
    expires: new Date("2026-12-31T12:00:00.000Z"),
    onlineAccessInfo: {
      expires_in: 86_400,
      associated_user_scope: "read_customers",
      associated_user: {
        id: 42,
        first_name: "Ada",
        last_name: "Lovelace",
        email: "ada@example.com",
        email_verified: true,
        account_owner: true,
        locale: "fr",
        collaborator: false,
      },
    },
  }),
  "a bare session with no token yet": new Session({
    id: `offline_bare-${SHOP}`,
    shop: `bare-${SHOP}`,
    state: "",
    isOnline: false,
  }),
};

describe("RawLoadSessionStorage", () => {
  for (const [name, session] of Object.entries(sessions)) {
    it(`loads ${name} as the library does`, async () => {
      await app.storeSession(session);
      // The first load goes through the library (it waits for the table); the next ones are raw.
      await app.loadSession("warm-up");

      const raw = await app.loadSession(session.id);
      const expected = await library.loadSession(session.id);

      expect(expected).toBeDefined();
      expect(raw?.toPropertyArray(true)).toEqual(expected?.toPropertyArray(true));
      expect(raw?.isActive(session.scope ?? "")).toBe(expected?.isActive(session.scope ?? ""));
    });
  }

  it("answers undefined for a session that is not stored", async () => {
    await app.loadSession("warm-up");
    expect(await app.loadSession("offline_unknown.myshopify.com")).toBeUndefined();
  });
});
