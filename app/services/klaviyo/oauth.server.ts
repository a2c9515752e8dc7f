import { createHash, randomBytes } from "node:crypto";
import prisma from "~/db.server";
import { env } from "~/env.server";
import {
  authorizeUrl,
  exchangeCode,
  KlaviyoApiError,
  KlaviyoOAuthError,
  pkcePair,
  REQUIRED_SCOPES,
  revokeToken,
  type TokenSet,
} from "~/integrations/klaviyo";
import { decryptSecret, encryptSecret } from "~/lib/secrets.server";
import { LoyaltyError } from "../errors";
import { clientFor, saveConnection, withOneThrottleRetry } from "./connection.server";
import { oauthApp, sealTokens } from "./oauth-tokens.server";

/** Where Klaviyo sends the merchant back; register it with the OAuth app. */
export const OAUTH_CALLBACK_PATH = "/klaviyo/oauth/callback";
/** An authorization not finished within this time must be started again. */
const REQUEST_TTL_MS = 10 * 60_000;

const hashState = (state: string) => createHash("sha256").update(state).digest("hex");
const callbackUrl = () => new URL(OAUTH_CALLBACK_PATH, env().SHOPIFY_APP_URL).toString();

function requireApp() {
  const app = oauthApp();
  if (!app) {
    throw new LoyaltyError(
      "klaviyo_oauth_unavailable",
      "Connecting with Klaviyo needs the app's Klaviyo OAuth client (KLAVIYO_CLIENT_ID and KLAVIYO_CLIENT_SECRET). Connect with a private API key instead.",
    );
  }
  return app;
}

/**
 * Starts "Connect with Klaviyo": a single-use state that names the shop on the way back and a PKCE
 * verifier kept encrypted here, so a stolen authorization code is useless to anyone else.
 */
export async function startKlaviyoAuthorization(shopId: string, now = new Date()) {
  const app = requireApp();
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(32).toString("base64url");
  const redirectUri = callbackUrl();
  await prisma.klaviyoOAuthRequest.deleteMany({ where: { shopId, expiresAt: { lt: now } } });
  await prisma.klaviyoOAuthRequest.create({
    data: {
      shopId,
      stateHash: hashState(state),
      encryptedVerifier: encryptSecret(verifier, shopId),
      redirectUri,
      expiresAt: new Date(now.getTime() + REQUEST_TTL_MS),
    },
  });
  return {
    url: authorizeUrl(app, {
      state,
      scopes: REQUIRED_SCOPES,
      codeChallenge: challenge,
      redirectUri,
    }),
  };
}

export type CallbackQuery = {
  code?: string | null;
  state?: string | null;
  error?: string | null;
  error_description?: string | null;
};

/** A refused authorization, as a copy key the admin window writes in the staff's language. */
const failed = (key: string, params?: Record<string, string>) =>
  new LoyaltyError("klaviyo_oauth_failed", key, undefined, params);

/** Takes the pending request for this state, once: a replayed callback finds nothing. */
async function claimRequest(state: string | null | undefined, now: Date) {
  if (!state) throw failed("klaviyo.oauth.error.noState");
  const request = await prisma.klaviyoOAuthRequest.findUnique({
    where: { stateHash: hashState(state) },
  });
  const claimed = request
    ? await prisma.klaviyoOAuthRequest.deleteMany({ where: { id: request.id } })
    : { count: 0 };
  if (!request || claimed.count !== 1) {
    throw failed("klaviyo.oauth.error.unknownState");
  }
  if (request.expiresAt < now) {
    throw failed("klaviyo.oauth.error.expired");
  }
  return request;
}

/**
 * Finishes the authorization Klaviyo redirected back with: exchanges the code, checks the granted
 * scopes and the account with a real call, then stores the tokens encrypted. Anything wrong stores
 * nothing; a grant without every scope is revoked again.
 */
export async function finishKlaviyoAuthorization(query: CallbackQuery, now = new Date()) {
  const app = requireApp();
  const request = await claimRequest(query.state, now);
  const { shopId } = request;
  if (query.error) {
    throw query.error === "access_denied"
      ? failed("klaviyo.oauth.error.denied")
      : failed("klaviyo.oauth.error.answered", {
          answer: query.error_description ?? query.error,
        });
  }
  if (!query.code) throw failed("klaviyo.oauth.error.noCode");
  let tokens: TokenSet;
  try {
    tokens = await exchangeCode(app, {
      code: query.code,
      codeVerifier: decryptSecret(request.encryptedVerifier, shopId),
      redirectUri: request.redirectUri,
    });
  } catch (error) {
    if (!(error instanceof KlaviyoOAuthError)) throw error;
    if (error.kind === "unavailable") {
      throw new LoyaltyError(
        "klaviyo_unavailable",
        "klaviyo.oauth.error.unreachable",
        error.detail,
      );
    }
    throw failed("klaviyo.oauth.error.notAccepted", { detail: error.detail });
  }
  const missing = REQUIRED_SCOPES.filter((scope) => !tokens.scopes.includes(scope));
  if (missing.length > 0) {
    await revokeToken(app, tokens.refreshToken).catch(() => undefined);
    throw new LoyaltyError("klaviyo_scopes_missing", "klaviyo.oauth.error.scopes", undefined, {
      scopes: missing.join(", "),
    });
  }
  const account = await accountOf(shopId, tokens);
  await saveConnection(shopId, {
    authKind: "oauth",
    encryptedCredential: sealTokens(shopId, tokens),
    credentialHint: "OAuth",
    account,
    now,
  });
  return { shopId, accountId: account.id, accountName: account.name };
}

/** The account behind fresh tokens; they are minutes old, so no refresh is ever needed here. */
async function accountOf(shopId: string, tokens: TokenSet) {
  const client = clientFor(shopId, {
    kind: "oauth",
    tokens: {
      current: async () => tokens.accessToken,
      renew: async () => {
        throw new KlaviyoApiError("unauthorized", 401, "Klaviyo refused a brand-new access token");
      },
    },
  });
  try {
    return await withOneThrottleRetry(() => client.getAccount());
  } catch (error) {
    const detail = error instanceof KlaviyoApiError ? error.detail : (error as Error).message;
    throw new LoyaltyError("klaviyo_unavailable", "klaviyo.oauth.error.account", detail, {
      detail,
    });
  }
}
