import { randomBytes } from "node:crypto";
import prisma from "~/db.server";
import { localDate, shopTimeZone, startOfNextLocalDay } from "~/domain/calendar";
import { parseBatchRequest, type BatchFieldError } from "~/domain/claim-codes/batch";
import { CODE_RANDOM_BYTES, codeFromBytes } from "~/domain/claim-codes/code";

// The merchant's batches of claim codes (issue #23, ADR 0068): created in one transaction with
// all their codes, listed with how many were claimed and how many expired unclaimed.

export interface BatchForm {
  name: string;
  points: string;
  count: string;
  /** YYYY-MM-DD, the last day the codes work on; empty: they never expire. */
  expiresOn: string;
  /** The form's one-time key: the same form sent twice creates one batch. */
  requestKey: string;
}

export type CreateBatchResult =
  | { ok: true; batchId: string; created: boolean }
  | { ok: false; errors: Record<string, BatchFieldError> };

/**
 * Creates the batch and its codes. Codes come from the operating system's random source; the
 * unique (shopId, code) decides a collision with any code of the shop, and a collided code is
 * drawn again, so the batch always has exactly `count` codes.
 */
export async function createClaimBatch(
  shopId: string,
  form: BatchForm,
  now = new Date(),
): Promise<CreateBatchResult> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  const timeZone = shopTimeZone(shop.timeZone);
  const parsed = parseBatchRequest(form, localDate(now, timeZone));
  if (!parsed.ok) return parsed;
  const { batch } = parsed;
  const requestKey = form.requestKey.trim().slice(0, 100) || `batch:${now.toISOString()}`;
  return prisma.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "ClaimCodeBatch" ("id", "shopId", "name", "points", "count", "expiresAt",
          "requestKey", "createdAt")
        VALUES (gen_random_uuid(), ${shopId}::uuid, ${batch.name}, ${batch.points}::integer,
          ${batch.count}::integer,
          ${batch.expiresOn ? startOfNextLocalDay(batch.expiresOn, timeZone).toISOString() : null}::timestamp(3),
          ${requestKey}, ${now.toISOString()}::timestamp(3))
        ON CONFLICT ("shopId", "requestKey") DO NOTHING
        RETURNING "id"::text AS id`;
      if (!row) {
        const existing = await tx.claimCodeBatch.findUniqueOrThrow({
          where: { shopId_requestKey: { shopId, requestKey } },
          select: { id: true },
        });
        return { ok: true as const, batchId: existing.id, created: false };
      }
      let missing = batch.count;
      while (missing > 0) {
        const codes = Array.from({ length: missing }, () =>
          codeFromBytes(randomBytes(CODE_RANDOM_BYTES)),
        );
        const inserted = await tx.$queryRaw<{ n: number }[]>`
          WITH added AS (
            INSERT INTO "ClaimCode" ("id", "shopId", "batchId", "code")
            SELECT gen_random_uuid(), ${shopId}::uuid, ${row.id}::uuid, code
            FROM unnest(${codes}::text[]) AS code
            ON CONFLICT ("shopId", "code") DO NOTHING
            RETURNING 1
          )
          SELECT count(*)::int AS n FROM added`;
        missing -= inserted[0]?.n ?? 0;
      }
      return { ok: true as const, batchId: row.id, created: true };
    },
    { maxWait: 30_000, timeout: 120_000 },
  );
}

export interface BatchRow {
  id: string;
  name: string;
  points: number;
  count: number;
  claimed: number;
  /** Codes that can no longer be claimed because the batch expired (claimed ones not included). */
  expired: number;
  expiresAt: string | null;
  createdAt: string;
}

/** The shop's batches, newest first, with their counts. */
export async function listClaimBatches(shopId: string, now = new Date()): Promise<BatchRow[]> {
  const rows = await prisma.$queryRaw<
    {
      id: string;
      name: string;
      points: number;
      count: number;
      claimed: number;
      expiresAt: Date | null;
      createdAt: Date;
    }[]
  >`
    SELECT b."id"::text AS id, b."name", b."points", b."count", b."expiresAt", b."createdAt",
      (SELECT count(*)::int FROM "ClaimCode" c
        WHERE c."batchId" = b."id" AND c."claimedAt" IS NOT NULL) AS claimed
    FROM "ClaimCodeBatch" b
    WHERE b."shopId" = ${shopId}::uuid
    ORDER BY b."createdAt" DESC, b."id"
    LIMIT 200`;
  return rows.map((row) => ({
    ...row,
    expired: row.expiresAt && row.expiresAt <= now ? row.count - row.claimed : 0,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** A batch of the shop with its codes (in code order), for the downloads; null if not the shop's. */
export async function batchWithCodes(shopId: string, batchId: string) {
  const batch = await prisma.claimCodeBatch.findFirst({ where: { id: batchId, shopId } });
  if (!batch) return null;
  const codes = await prisma.claimCode.findMany({
    where: { batchId, shopId },
    select: { code: true, claimedAt: true },
    orderBy: { code: "asc" },
  });
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  return { batch, codes, shopDomain: shop.domain, timeZone: shopTimeZone(shop.timeZone) };
}
