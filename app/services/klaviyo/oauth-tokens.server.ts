import { z } from "zod";
import prisma from "~/db.server";
import { env } from "~/env.server";
import {
  KlaviyoApiError,
  KlaviyoOAuthError,
  refreshTokens,
  REQUEST_TIMEOUT_MS,
  type BearerTokenSource,
  type OAuthAppCredentials,
  type TokenSet,
} from "~/integrations/klaviyo";
import { decryptSecret, encryptSecret } from "~/lib/secrets.server";

/** The app's Klaviyo OAuth client, or null when this installation has none (private keys only). */
export function oauthApp(): OAuthAppCredentials | null {
  const e = env();
  if (!e.KLAVIYO_CLIENT_ID || !e.KLAVIYO_CLIENT_SECRET) return null;
  return {
    clientId: e.KLAVIYO_CLIENT_ID,
    clientSecret: e.KLAVIYO_CLIENT_SECRET,
    authorizeUrl: e.KLAVIYO_AUTHORIZE_URL,
    apiBaseUrl: e.KLAVIYO_API_URL,
    timeoutMs: REQUEST_TIMEOUT_MS,
  };
}

const StoredTokens = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.coerce.date(),
  scopes: z.array(z.string()),
});

/** Tokens are stored as one encrypted JSON document, bound to the shop like a private key. */
export function sealTokens(shopId: string, tokens: TokenSet): string {
  return encryptSecret(JSON.stringify(tokens), shopId);
}

export function openTokens(shopId: string, sealed: string): TokenSet {
  return StoredTokens.parse(JSON.parse(decryptSecret(sealed, shopId)));
}

/** Refresh this long before expiry, so a request never leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 60_000;
const needsRefresh = (tokens: TokenSet, now: number) =>
  tokens.expiresAt.getTime() - now < REFRESH_MARGIN_MS;

/**
 * Refreshes the shop's tokens unless another process already did. The connection row is locked
 * for the refresh, so two workers never spend the same refresh token (Klaviyo may rotate it: the
 * second refresh would then fail with invalid_grant and disconnect the shop for nothing).
 */
export async function refreshStoredTokens(
  shopId: string,
  rejectedAccessToken: string | null,
  clock: () => Date = () => new Date(),
): Promise<TokenSet> {
  const app = oauthApp();
  if (!app) {
    throw new KlaviyoApiError(
      "unauthorized",
      null,
      "The app's Klaviyo OAuth client is not configured",
    );
  }
  return prisma.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ encryptedCredential: string; status: string }[]>`
        SELECT "encryptedCredential", "status" FROM "KlaviyoConnection"
        WHERE "shopId" = ${shopId}::uuid AND "authKind" = 'oauth' FOR UPDATE`;
      if (!row || row.status !== "connected" || !row.encryptedCredential) {
        throw new KlaviyoApiError("unauthorized", null, "Klaviyo is not connected with OAuth");
      }
      const stored = openTokens(shopId, row.encryptedCredential);
      const replacedMeanwhile = stored.accessToken !== rejectedAccessToken;
      if (replacedMeanwhile && !needsRefresh(stored, clock().getTime())) return stored;
      let fresh: TokenSet;
      try {
        fresh = await refreshTokens(app, stored, clock());
      } catch (error) {
        throw asApiError(error);
      }
      await tx.klaviyoConnection.update({
        where: { shopId },
        data: { encryptedCredential: sealTokens(shopId, fresh) },
      });
      return fresh;
    },
    // The refresh call runs inside the lock: give it its own timeout plus slack.
    { timeout: REQUEST_TIMEOUT_MS + 5_000 },
  );
}

/** invalid_grant means the grant is gone: like a 401, the merchant must connect again. */
function asApiError(error: unknown): Error {
  if (!(error instanceof KlaviyoOAuthError)) return error as Error;
  if (error.kind === "unavailable") return new KlaviyoApiError("transient", null, error.detail);
  return new KlaviyoApiError(
    "unauthorized",
    null,
    error.kind === "invalid_grant"
      ? `Klaviyo ended the authorization (${error.detail}): the app was removed in Klaviyo, the access was revoked or unused for 90 days. Connect again.`
      : `Klaviyo refused the app's credentials (${error.detail})`,
  );
}

/**
 * The access token for one client (one drain run): used until it nears expiry or Klaviyo answers
 * 401, then refreshed through the database so every process shares the newest tokens.
 */
export function oauthTokenSource(
  shopId: string,
  initial: TokenSet,
  clock: () => Date = () => new Date(),
): BearerTokenSource {
  let tokens = initial;
  let refreshing: Promise<void> | null = null;
  const renew = (rejected: string | null) => {
    refreshing ??= refreshStoredTokens(shopId, rejected, clock)
      .then((fresh) => {
        tokens = fresh;
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };
  return {
    async current() {
      if (needsRefresh(tokens, clock().getTime())) await renew(null);
      return tokens.accessToken;
    },
    renew: (rejected) => renew(rejected),
  };
}
