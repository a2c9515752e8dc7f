import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { PrismaClient, Session as SessionRow } from "@prisma/client";

/**
 * The library's Prisma session storage, with `loadSession` as one raw statement. Every storefront
 * request (App Proxy, customer account, POS) loads the shop's offline session, and Prisma 6
 * compiles each ORM query afresh in its WebAssembly compiler: on the widget's GET that compile was
 * the largest single cost per request (issue #24, ADR 0076). Storing, deleting and listing
 * sessions happen at install and sign-in, and stay the library's.
 */
export class RawLoadSessionStorage extends PrismaSessionStorage<PrismaClient> {
  /** Whether a load went through the library, which first waits for the table to exist. */
  private tableSeen = false;

  constructor(
    private readonly client: PrismaClient,
    options: ConstructorParameters<typeof PrismaSessionStorage>[1],
  ) {
    super(client, options);
  }

  override async loadSession(id: string): Promise<Session | undefined> {
    // The library's first load waits for the table (at first boot migrations may still run).
    if (!this.tableSeen) {
      const session = await super.loadSession(id);
      this.tableSeen = true;
      return session;
    }
    const [row] = await this.client.$queryRaw<SessionRow[]>`
      SELECT * FROM "Session" WHERE id = ${id}`;
    return row ? sessionFromRow(row) : undefined;
  }
}

/**
 * A stored row as the library's Session: the same properties the Prisma storage gives it (an
 * online session's user fields, the expiry and refresh token as epoch milliseconds), so the two
 * load paths answer the same Session (tests/integration/shopify/session-storage.test.ts).
 */
export function sessionFromRow(row: SessionRow): Session {
  const properties: [string, string | number | boolean][] = [
    ["id", row.id],
    ["shop", row.shop],
    ["state", row.state],
    ["isOnline", row.isOnline],
    ["userId", String(row.userId)],
    ["firstName", String(row.firstName)],
    ["lastName", String(row.lastName)],
    ["email", String(row.email)],
    ["locale", String(row.locale)],
    ["accountOwner", row.accountOwner],
  ];
  if (row.collaborator !== null) properties.push(["collaborator", row.collaborator]);
  if (row.emailVerified !== null) properties.push(["emailVerified", row.emailVerified]);
  if (row.expires) properties.push(["expires", row.expires.getTime()]);
  if (row.scope) properties.push(["scope", row.scope]);
  if (row.accessToken) properties.push(["accessToken", row.accessToken]);
  if (row.refreshToken) properties.push(["refreshToken", row.refreshToken]);
  if (row.refreshTokenExpires) {
    properties.push(["refreshTokenExpires", row.refreshTokenExpires.getTime()]);
  }
  return Session.fromPropertyArray(properties, true);
}
