import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { formatCode, normalizeCode } from "~/domain/claim-codes/code";
import { recordEvent } from "../events/outbox.server";
import { postEntry } from "../ledger/post-entry.server";
import { lockActiveMember } from "../members/repository.server";
import { programInForce } from "../program/versions.server";
import { claimGuessesAllowed, countFailedClaim } from "../storefront/rate-limit.server";
import { reconcileTierAfterBonus } from "../tiers/evaluate.server";

// A shopper claims a printed code (issue #23, ADR 0068): the code is marked claimed by a
// conditional update in the transaction that posts its points, so of two claims of one code
// exactly one commits; the other finds it claimed.

export type ClaimRefusal = "malformed" | "unknown" | "used" | "expired";

export type ClaimOutcome =
  | { status: "claimed"; code: string; points: number; balance: number }
  | { status: "refused"; reason: ClaimRefusal }
  | { status: "rate_limited"; retryAfterSeconds: number };

export interface ClaimRequest {
  shopId: string;
  /** The signed-in customer (the App Proxy's signed logged_in_customer_id), already a member. */
  customerId: bigint;
  /** As typed or scanned. */
  input: string;
  /** The shopper's address, for the per-address guess limit. */
  ip: string;
  now?: Date;
}

/** Claims one code for the customer, or says why not; a refusal counts as a failed guess. */
export async function claimCode(request: ClaimRequest): Promise<ClaimOutcome> {
  const { shopId, customerId, ip } = request;
  const now = request.now ?? new Date();
  const allowed = await claimGuessesAllowed(shopId, customerId, ip, now);
  if (!allowed.allowed) {
    return { status: "rate_limited", retryAfterSeconds: allowed.retryAfterSeconds };
  }
  const code = normalizeCode(request.input);
  const outcome: ClaimOutcome = code
    ? await prisma.$transaction((tx) => claimInTransaction(tx, shopId, customerId, code, now))
    : { status: "refused", reason: "malformed" };
  if (outcome.status === "refused") await countFailedClaim(shopId, customerId, ip, now);
  return outcome;
}

type Tx = Prisma.TransactionClient;

async function claimInTransaction(
  tx: Tx,
  shopId: string,
  customerId: bigint,
  code: string,
  now: Date,
): Promise<ClaimOutcome> {
  const member = await lockActiveMember(tx, shopId, customerId);
  // Timestamps as the UTC wall times Prisma stores (as recordEvent and the campaigns write them).
  const at = now.toISOString();
  // The one winner: a second claim waits for the first's row lock, then finds claimedAt set.
  const [claimed] = await tx.$queryRaw<
    { id: string; points: number; batchId: string; name: string }[]
  >`
    UPDATE "ClaimCode" c SET "claimedAt" = ${at}::timestamp(3), "memberId" = ${member.id}::uuid
    FROM "ClaimCodeBatch" b
    WHERE c."shopId" = ${shopId}::uuid AND c."code" = ${code} AND c."claimedAt" IS NULL
      AND b."id" = c."batchId" AND (b."expiresAt" IS NULL OR b."expiresAt" > ${at}::timestamp(3))
    RETURNING c."id"::text AS id, b."points", b."id"::text AS "batchId", b."name"`;
  if (!claimed) return { status: "refused", reason: await whyNot(tx, shopId, code) };
  const { config } = await programInForce(tx, shopId);
  const posted = await postEntry(tx, member, {
    // A bonus, as campaign points: lifetime points, activity, and a lot that expires.
    kind: "bonus",
    source: "offline_purchase",
    points: claimed.points,
    idempotencyKey: `claim:${claimed.id}`,
    detail: { batchId: claimed.batchId, code: formatCode(code) },
    now,
  });
  if (posted.status !== "posted") {
    // The code row was just claimed by this transaction, so its key cannot exist yet.
    throw new Error(`claim code ${claimed.id} posted ${posted.status}`);
  }
  const after = await reconcileTierAfterBonus(tx, posted.member, config, now);
  await recordEvent(tx, after, config, "points.added", {
    points: claimed.points,
    source: "offline_purchase",
    order_id: null,
    order_name: null,
    note: `Claim code ${formatCode(code)} (${claimed.name})`.slice(0, 500),
  });
  return {
    status: "claimed",
    code: formatCode(code),
    points: claimed.points,
    balance: after.pointsBalance,
  };
}

async function whyNot(tx: Tx, shopId: string, code: string): Promise<ClaimRefusal> {
  const [row] = await tx.$queryRaw<{ claimedAt: Date | null; expiresAt: Date | null }[]>`
    SELECT c."claimedAt", b."expiresAt" FROM "ClaimCode" c
    JOIN "ClaimCodeBatch" b ON b."id" = c."batchId"
    WHERE c."shopId" = ${shopId}::uuid AND c."code" = ${code}`;
  if (!row) return "unknown";
  return row.claimedAt ? "used" : "expired";
}
