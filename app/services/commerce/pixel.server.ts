import prisma from "~/db.server";
import {
  parsePixelBody,
  pixelFact,
  pixelRateKey,
  pixelVerdict,
  pixelWindowStart,
  type PixelBucket,
} from "~/domain/commerce";
import type { RateVerdict } from "~/domain/storefront/rate-limit";
import { recordCommerceFacts } from "./events.server";

/**
 * What became of one pixel request. `refused` stores nothing (malformed body, unknown or
 * uninstalled shop, commerce events off); `limited` only counts the request against its shop's
 * and client's windows; `dropped` counts the reason (no customer the app knows) and stores no
 * event; `accepted` records the event once (`recorded` false for a repeat).
 */
export type PixelOutcome =
  | { kind: "refused"; reason: "malformed" | "unknown_shop" | "disabled" }
  | { kind: "limited"; retryAfterSeconds: number }
  | { kind: "dropped"; reason: DropReason }
  | { kind: "accepted"; recorded: boolean };

/** Why an event was dropped: no signed-in customer, not a member, or an email not the member's. */
type DropReason = "anonymous" | "unknown_customer" | "unverified_customer";

/**
 * One event from the Web Pixel extension (ADR 0071). Checks run cheapest first, and nothing is
 * written until the body is well formed and names an installed shop with commerce events on:
 * forged or malformed input leaves no trace. The identity sent to Klaviyo and Omnisend is the
 * member's own (email, phone from the app's records), never what the browser claims beyond the
 * customer id.
 */
export async function ingestPixelEvent(raw: string, now = new Date()): Promise<PixelOutcome> {
  const body = parsePixelBody(raw);
  if (!body) return { kind: "refused", reason: "malformed" };
  const shop = await prisma.shop.findFirst({
    where: { id: body.shopId, domain: body.shopDomain, uninstalledAt: null },
    select: { id: true, commerceEventsEnabled: true },
  });
  if (!shop) return { kind: "refused", reason: "unknown_shop" };
  if (!shop.commerceEventsEnabled) return { kind: "refused", reason: "disabled" };

  const limited = await countPixelRequest(shop.id, body.clientId, now);
  if (!limited.allowed) return { kind: "limited", retryAfterSeconds: limited.retryAfterSeconds };

  if (!body.customerId) return drop(shop.id, "anonymous", now);
  const member = await prisma.member.findFirst({
    where: { shopId: shop.id, customerId: BigInt(body.customerId), status: "active" },
    select: { email: true, phone: true, firstName: true, lastName: true },
  });
  if (!member) return drop(shop.id, "unknown_customer", now);
  // The id alone can be guessed; the email the pixel saw must be the member's too.
  const claimed = body.customerEmail?.toLowerCase();
  if (!claimed || claimed !== member.email?.toLowerCase()) {
    return drop(shop.id, "unverified_customer", now);
  }
  const fact = pixelFact(body, body.customerId, {
    email: member.email,
    phone: member.phone,
    first_name: member.firstName,
    last_name: member.lastName,
  });
  const recorded = await prisma.$transaction((tx) => recordCommerceFacts(tx, shop.id, [fact]));
  return { kind: "accepted", recorded: recorded > 0 };
}

/** Counts the request in the shop's and the client's windows; refused when either is over. */
async function countPixelRequest(
  shopId: string,
  clientId: string,
  now: Date,
): Promise<RateVerdict> {
  for (const bucket of ["client", "shop"] as const satisfies PixelBucket[]) {
    const windowStart = pixelWindowStart(bucket, now);
    const rows = await prisma.$queryRaw<{ count: number }[]>`
      INSERT INTO "ProxyRateCounter" ("shopId", "key", "windowStart", "count")
      VALUES (${shopId}::uuid, ${pixelRateKey(bucket, clientId)}, ${windowStart}, 1)
      ON CONFLICT ("shopId", "key") DO UPDATE SET
        "count" = CASE WHEN "ProxyRateCounter"."windowStart" = EXCLUDED."windowStart"
                       THEN "ProxyRateCounter"."count" + 1 ELSE 1 END,
        "windowStart" = EXCLUDED."windowStart"
      RETURNING "count"`;
    const verdict = pixelVerdict(bucket, Number(rows[0]?.count ?? 1), windowStart, now);
    if (!verdict.allowed) return verdict;
  }
  return { allowed: true };
}

async function drop(shopId: string, reason: DropReason, now: Date): Promise<PixelOutcome> {
  const day = now.toISOString().slice(0, 10);
  await prisma.$executeRaw`
    INSERT INTO "CommerceEventDrop" ("shopId", reason, day, count)
    VALUES (${shopId}::uuid, ${reason}, ${day}, 1)
    ON CONFLICT ("shopId", reason, day) DO UPDATE SET count = "CommerceEventDrop".count + 1`;
  return { kind: "dropped", reason };
}
