import type { OmnisendConnection } from "@prisma/client";
import prisma from "~/db.server";
import { env } from "~/env.server";
import {
  OmnisendApiError,
  omnisendClient,
  OmnisendRateLimiter,
  type OmnisendClient,
} from "~/integrations/omnisend";
import { decryptSecret, encryptSecret, secretHint } from "~/lib/secrets.server";
import { LoyaltyError } from "../errors";

/** Why events recorded before the first connection were not sent (shown on the admin page). */
export const BEFORE_CONNECTION = "Recorded before Omnisend was connected";

/**
 * What is wrong with a pasted key, as a copy key naming the mistake. Omnisend does not publish its
 * key format, so only what is surely wrong is refused: nothing pasted, spaces inside (a line break
 * from copying), a Klaviyo key pasted in the wrong box, or too short to be a key.
 */
export function omnisendKeyProblem(key: string) {
  if (key === "") return "omnisend.errors.keyMissing" as const;
  if (key.startsWith("pk_")) return "omnisend.errors.klaviyoKey" as const;
  if (/\s/.test(key) || key.length < 20) return "omnisend.errors.keyIncomplete" as const;
  return null;
}

/** One limiter per process: Omnisend's window is the brand's, and must outlive a single job. */
const limiter = new OmnisendRateLimiter();

export function omnisendClientFor(shopId: string, apiKey: string): OmnisendClient {
  return omnisendClient(apiKey, { baseUrl: env().OMNISEND_API_URL, brand: shopId, limiter });
}

/** The connected shop's client, or null while it is not connected. */
export function connectedOmnisendClient(
  connection: OmnisendConnection | null,
): OmnisendClient | null {
  if (!connection || connection.status !== "connected") return null;
  return omnisendClientFor(
    connection.shopId,
    decryptSecret(connection.encryptedApiKey, connection.shopId),
  );
}

/**
 * Connects a shop's Omnisend brand: the key must answer a real call (reading one contact) or
 * nothing is stored; then only the encrypted key and a hint are kept. Events recorded before the
 * first connection are not sent (each would fire the brand's automations at once, for things
 * long past); every member's properties are sent, as contacts, by the next drain.
 */
export async function connectOmnisend(shopId: string, rawKey: string, now = new Date()) {
  const key = rawKey.trim();
  const problem = omnisendKeyProblem(key);
  if (problem) throw new LoyaltyError("invalid_input", problem);
  try {
    await omnisendClientFor(shopId, key).checkKey();
  } catch (error) {
    throw connectError(error);
  }
  const hint = secretHint(key);
  const fields = {
    encryptedApiKey: encryptSecret(key, shopId),
    keyHint: hint,
    status: "connected",
    statusReason: null,
    connectedAt: now,
    disconnectedAt: null,
    pausedUntil: null,
    failureStreak: 0,
  };
  await prisma.$transaction(async (tx) => {
    const previous = await tx.omnisendConnection.findUnique({ where: { shopId } });
    if (previous) {
      // Another key may be another brand: it knows none of the contacts, so send them all again.
      await tx.omnisendConnection.update({
        where: { shopId },
        data: { ...fields, resyncRequestedAt: now },
      });
      return;
    }
    await tx.omnisendConnection.create({ data: { shopId, firstConnectedAt: now, ...fields } });
    await tx.eventDelivery.updateMany({
      where: {
        shopId,
        destination: "omnisend",
        state: "pending",
        event: { occurredAt: { lt: now } },
      },
      data: { state: "skipped", lastError: BEFORE_CONNECTION },
    });
  });
  return { hint };
}

function connectError(error: unknown): Error {
  if (!(error instanceof OmnisendApiError)) return error as Error;
  if (error.kind === "unauthorized") {
    return new LoyaltyError("omnisend_key_invalid", "omnisend.errors.keyRefused", error.detail);
  }
  if (error.kind === "forbidden") {
    return new LoyaltyError(
      "omnisend_scopes_missing",
      "omnisend.errors.scopesMissing",
      error.detail,
    );
  }
  return new LoyaltyError("omnisend_unavailable", "omnisend.errors.unreachable", error.detail);
}

/** Stops delivery and forgets the key. Pending events stay pending: a reconnect delivers them. */
export async function disconnectOmnisend(shopId: string, now = new Date()) {
  const updated = await prisma.omnisendConnection.updateMany({
    where: { shopId, status: { not: "disconnected" } },
    data: {
      status: "disconnected",
      statusReason: "Disconnected in the app",
      encryptedApiKey: "",
      disconnectedAt: now,
    },
  });
  return { disconnected: updated.count === 1 };
}

/** Omnisend refused the stored key during delivery (401/403/410): stop and show why. */
export async function suspendOmnisend(shopId: string, error: OmnisendApiError) {
  await prisma.omnisendConnection.update({
    where: { shopId },
    data: { status: "revoked", statusReason: error.detail.slice(0, 500) },
  });
}
