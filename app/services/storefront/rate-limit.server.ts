import { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import {
  callerKey,
  CLAIM_GUESS_LIMITS,
  claimGuessKeys,
  claimGuessVerdict,
  PROXY_LIMITS,
  verdict,
  windowStartFor,
  type ProxyBucket,
  type RateVerdict,
} from "~/domain/storefront/rate-limit";

/**
 * A counter row's upsert tail: one more hit in the current window, or the first of a new window.
 * Shared by the request counters and the failed-claim counters, which live in the same table.
 */
const COUNT_WITHIN_WINDOW = Prisma.sql`
  ON CONFLICT ("shopId", "key") DO UPDATE SET
    "count" = CASE WHEN "ProxyRateCounter"."windowStart" = EXCLUDED."windowStart"
                   THEN "ProxyRateCounter"."count" + 1 ELSE 1 END,
    "windowStart" = EXCLUDED."windowStart"`;

/**
 * The installed shop named `domain`, with this request counted against its caller's window: one
 * statement that finds the shop and upserts the counter (docs/decisions/0027), since every
 * storefront, customer account and POS request asks both (two round trips were a fifth of the
 * widget's, issue #24). Null, and nothing counted, when the shop is unknown or uninstalled.
 * Shared by every app process, since it is in the database they all use.
 */
export async function countRequestOfInstalledShop(
  domain: string,
  bucket: ProxyBucket,
  customerId: bigint | null,
  ip: string,
  now: Date,
): Promise<{ shopId: string; rate: RateVerdict } | null> {
  const windowStart = windowStartFor(now, PROXY_LIMITS[bucket].windowSeconds);
  const key = callerKey(bucket, customerId, ip);
  const rows = await prisma.$queryRaw<{ id: string; count: number }[]>`
    WITH shop AS (
      SELECT id FROM "Shop" WHERE domain = ${domain} AND "uninstalledAt" IS NULL
    ), counted AS (
      INSERT INTO "ProxyRateCounter" ("shopId", "key", "windowStart", "count")
      SELECT id, ${key}, ${windowStart}, 1 FROM shop
      ${COUNT_WITHIN_WINDOW}
      RETURNING "count"
    )
    SELECT shop.id::text AS id, counted."count" FROM shop, counted`;
  const row = rows[0];
  if (!row) return null;
  return { shopId: row.id, rate: verdict(Number(row.count), windowStart, bucket, now) };
}

/** Drops counters whose window ended long ago (callers that went away); run by a daily job. */
export async function pruneProxyCounters(now: Date) {
  const cutoff = new Date(now.getTime() - 24 * 3600 * 1000);
  const { count } = await prisma.proxyRateCounter.deleteMany({
    where: { windowStart: { lt: cutoff } },
  });
  return count;
}

/**
 * Whether this customer and address may try a claim code now: refused once either has used up
 * its failed guesses for the window (domain claimGuessVerdict, ADR 0068). Reads only.
 */
export async function claimGuessesAllowed(
  shopId: string,
  customerId: bigint,
  ip: string,
  now: Date,
): Promise<RateVerdict> {
  const keys = claimGuessKeys(customerId, ip);
  const rows = await prisma.proxyRateCounter.findMany({
    where: { shopId, key: { in: [keys.customer, keys.ip] } },
    select: { key: true, count: true, windowStart: true },
  });
  const find = (key: string) => rows.find((row) => row.key === key) ?? null;
  return claimGuessVerdict({ customer: find(keys.customer), ip: find(keys.ip) }, now);
}

/** Counts one failed claim (unknown, used, expired or malformed code) for the customer and address. */
export async function countFailedClaim(shopId: string, customerId: bigint, ip: string, now: Date) {
  const keys = claimGuessKeys(customerId, ip);
  for (const side of ["customer", "ip"] as const) {
    const windowStart = windowStartFor(now, CLAIM_GUESS_LIMITS[side].windowSeconds);
    await prisma.$executeRaw`
      INSERT INTO "ProxyRateCounter" ("shopId", "key", "windowStart", "count")
      VALUES (${shopId}::uuid, ${keys[side]}, ${windowStart}, 1)
      ${COUNT_WITHIN_WINDOW}`;
  }
}
