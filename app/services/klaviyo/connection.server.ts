import type { KlaviyoConnection } from "@prisma/client";
import prisma from "~/db.server";
import { env } from "~/env.server";
import {
  KLAVIYO_REVISION,
  KlaviyoApiError,
  KlaviyoRateLimiter,
  klaviyoClient,
  missingScopes,
  REQUEST_TIMEOUT_MS,
  revokeToken,
  type KlaviyoClient,
  type KlaviyoCredential,
} from "~/integrations/klaviyo";
import { logger } from "~/lib/logger.server";
import { decryptSecret, encryptSecret, secretHint } from "~/lib/secrets.server";
import { LoyaltyError } from "../errors";
import { oauthApp, oauthTokenSource, openTokens } from "./oauth-tokens.server";

/** Klaviyo private keys are "pk_" and 34 more characters; anything else is a paste mistake. */
const PRIVATE_KEY = /^pk_[A-Za-z0-9]{20,64}$/;

/**
 * What is wrong with a pasted key, as a copy key naming the mistake: nothing pasted, a key that is
 * not a private one (a public site ID, another service's key), or a private key cut short or
 * pasted with spaces inside.
 */
export function privateKeyProblem(key: string) {
  if (key === "") return "klaviyo.errors.keyMissing" as const;
  if (!key.startsWith("pk_")) return "klaviyo.errors.keyNotPrivate" as const;
  if (!PRIVATE_KEY.test(key)) return "klaviyo.errors.keyIncomplete" as const;
  return null;
}

/** One limiter per process: rate-limit windows must outlive a single job. */
const limiter = new KlaviyoRateLimiter();

export function clientFor(shopId: string, credential: KlaviyoCredential): KlaviyoClient {
  return klaviyoClient(credential, {
    baseUrl: env().KLAVIYO_API_URL,
    account: shopId,
    limiter,
  });
}

/** The connected shop's client, or null while it is not connected. */
export function connectedClient(connection: KlaviyoConnection | null): KlaviyoClient | null {
  if (!connection || connection.status !== "connected") return null;
  const { shopId, encryptedCredential } = connection;
  if (connection.authKind === "oauth") {
    const tokens = oauthTokenSource(shopId, openTokens(shopId, encryptedCredential));
    return clientFor(shopId, { kind: "oauth", tokens });
  }
  return clientFor(shopId, { kind: "api_key", key: decryptSecret(encryptedCredential, shopId) });
}

export type ConnectResult = { accountId: string; accountName: string | null; hint: string };

/**
 * Connects a shop with a private key: the key must answer a real call (the account) and hold every
 * scope the app uses, or nothing is stored. Only the encrypted key and a hint are kept.
 * Events recorded before the first connection stay out of Klaviyo unless a backfill sends them, so
 * connecting never fires a year of flows at once; members' properties are all synced (no sync rows).
 */
export async function connectKlaviyo(
  shopId: string,
  rawKey: string,
  now = new Date(),
): Promise<ConnectResult> {
  const key = rawKey.trim();
  const problem = privateKeyProblem(key);
  if (problem) throw new LoyaltyError("invalid_input", problem);
  const client = clientFor(shopId, { kind: "api_key", key });
  let account: { id: string; name: string | null };
  try {
    account = await withOneThrottleRetry(() => client.getAccount());
  } catch (error) {
    throw connectError(error);
  }
  const missing = await missingScopes(
    env().KLAVIYO_API_URL,
    key,
    KLAVIYO_REVISION,
    REQUEST_TIMEOUT_MS,
  );
  if (missing.length > 0) {
    throw new LoyaltyError("klaviyo_scopes_missing", "klaviyo.errors.scopesMissing", undefined, {
      scopes: missing.join(", "),
    });
  }
  const hint = secretHint(key);
  await saveConnection(shopId, {
    authKind: "api_key",
    encryptedCredential: encryptSecret(key, shopId),
    credentialHint: hint,
    account,
    now,
  });
  return { accountId: account.id, accountName: account.name, hint };
}

export type NewCredential = {
  authKind: "api_key" | "oauth";
  encryptedCredential: string;
  credentialHint: string;
  account: { id: string; name: string | null };
  now: Date;
};

/**
 * Stores a checked credential, whichever way it was obtained. The first connection skips what
 * happened before it (a backfill sends history without firing flows); switching to another
 * Klaviyo account re-sends every profile, since that account knows none of them.
 */
export async function saveConnection(shopId: string, credential: NewCredential) {
  const { account, now, ...secret } = credential;
  const fields = {
    ...secret,
    accountId: account.id,
    accountName: account.name,
    status: "connected",
    statusReason: null,
    connectedAt: now,
    disconnectedAt: null,
    pausedUntil: null,
  };
  await prisma.$transaction(async (tx) => {
    const previous = await tx.klaviyoConnection.findUnique({ where: { shopId } });
    if (!previous) {
      await tx.klaviyoConnection.create({ data: { shopId, firstConnectedAt: now, ...fields } });
      await tx.eventDelivery.updateMany({
        where: {
          shopId,
          destination: "klaviyo",
          state: "pending",
          event: { occurredAt: { lt: now } },
        },
        data: {
          state: "skipped",
          lastError: "Recorded before Klaviyo was connected; send it with a backfill",
        },
      });
      return;
    }
    const otherAccount = previous.accountId !== account.id;
    await tx.klaviyoConnection.update({
      where: { shopId },
      data: {
        ...fields,
        ...(otherAccount ? { resyncRequestedAt: now, bootstrappedAt: null } : {}),
      },
    });
  });
}

/** Get Accounts allows 1 request/s per account: a merchant's click should wait it out, not fail. */
export async function withOneThrottleRetry<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const wait =
      error instanceof KlaviyoApiError && error.kind === "throttled"
        ? error.retryAfterSeconds
        : null;
    if (wait === null || wait > 5) throw error;
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    return call();
  }
}

function connectError(error: unknown): Error {
  if (!(error instanceof KlaviyoApiError)) return error as Error;
  if (error.kind === "unauthorized") {
    return new LoyaltyError("klaviyo_key_invalid", "klaviyo.errors.keyRefused", error.detail);
  }
  if (error.kind === "forbidden") {
    return new LoyaltyError(
      "klaviyo_scopes_missing",
      "klaviyo.errors.accountUnreadable",
      error.detail,
    );
  }
  return new LoyaltyError("klaviyo_unavailable", "klaviyo.errors.unreachable", error.detail, {
    detail: error.detail,
  });
}

/**
 * Stops delivery and forgets the credential; an OAuth grant is also revoked at Klaviyo, so the app
 * disappears from the merchant's Klaviyo account. Pending events stay pending: a reconnect
 * delivers them. A revocation Klaviyo does not answer does not keep the shop connected.
 */
export async function disconnectKlaviyo(shopId: string, now = new Date()) {
  const connection = await prisma.klaviyoConnection.findUnique({ where: { shopId } });
  let revoked: boolean | null = null;
  const app = oauthApp();
  if (connection?.authKind === "oauth" && connection.encryptedCredential && app) {
    try {
      await revokeToken(app, openTokens(shopId, connection.encryptedCredential).refreshToken);
      revoked = true;
    } catch (error) {
      revoked = false;
      logger.warn("klaviyo.oauth_revoke_failed", { shopId, error: (error as Error).message });
    }
  }
  const updated = await prisma.klaviyoConnection.updateMany({
    where: { shopId, status: { not: "disconnected" } },
    data: {
      status: "disconnected",
      statusReason: "Disconnected in the app",
      encryptedCredential: "",
      disconnectedAt: now,
    },
  });
  return { disconnected: updated.count === 1, revoked };
}

/**
 * Klaviyo refused the stored credential (401) or a scope (403) during delivery: stop and show why.
 * The events wait; reconnecting with a working key resumes delivery.
 */
export async function suspendConnection(shopId: string, error: KlaviyoApiError) {
  await prisma.klaviyoConnection.update({
    where: { shopId },
    data: { status: "revoked", statusReason: error.detail.slice(0, 500) },
  });
}
