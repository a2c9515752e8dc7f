import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import type { OrderForEarning } from "~/domain/earning/index";
import type { ProgramConfig } from "~/domain/program/index";
import { offlineAdmin } from "~/integrations/shopify/offline-admin.server";
import { fetchProductCollections } from "~/integrations/shopify/product-collections.server";
import { z } from "zod";

/**
 * Line item id → the collections of its product, for the lines of one order; null when the
 * program excludes no collection and nothing was read (lines then carry no collections).
 */
export type CollectionMembership = ReadonlyMap<string, readonly string[]> | null;

/**
 * A row is read again after a day even without a webhook saying it changed: a missed or late
 * products/update delivery can keep an exclusion wrong for at most this long.
 */
export const COLLECTIONS_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function excludesCollections(config: ProgramConfig) {
  return config.earning.excludedCollectionIds.length > 0;
}

/**
 * The collections of these products, for a program that excludes collections: fresh cached rows
 * first, the Admin API for the rest (their rows then written). Runs outside any transaction
 * (network I/O); a failed or throttled read throws, so the delivery is retried rather than
 * earned as if its products were in no collection.
 */
export async function readProductCollections(
  shop: { id: string; domain: string },
  productIds: readonly string[],
  now = new Date(),
): Promise<Map<string, readonly string[]>> {
  const wanted = [...new Set(productIds)];
  const membership = new Map<string, readonly string[]>();
  if (wanted.length === 0) return membership;
  const cached = await prisma.productCollections.findMany({
    where: {
      shopId: shop.id,
      productId: { in: wanted.map(BigInt) },
      stale: false,
      fetchedAt: { gt: new Date(now.getTime() - COLLECTIONS_MAX_AGE_MS) },
    },
    select: { productId: true, collectionIds: true },
  });
  for (const row of cached) membership.set(String(row.productId), row.collectionIds);
  const missing = wanted.filter((id) => !membership.has(id));
  if (missing.length === 0) return membership;

  const admin = await offlineAdmin(shop.domain);
  const fetched = await fetchProductCollections(admin, missing);
  for (const [productId, collectionIds] of fetched) {
    membership.set(productId, collectionIds);
    // `now` is when the read started: a stale mark written since (a products/update that raced
    // this read) is newer and stays.
    await prisma.$executeRaw`
      INSERT INTO "ProductCollections" AS p ("shopId", "productId", "collectionIds", "fetchedAt", stale)
      VALUES (${shop.id}::uuid, ${BigInt(productId)}::bigint, ${collectionIds}::text[],
        ${now.toISOString()}::timestamp(3), false)
      ON CONFLICT ("shopId", "productId") DO UPDATE
      SET "collectionIds" = EXCLUDED."collectionIds", "fetchedAt" = EXCLUDED."fetchedAt", stale = false
      WHERE p."fetchedAt" <= EXCLUDED."fetchedAt"`;
  }
  return membership;
}

/**
 * The collections of each line of an order. A line the stored order already holds with read
 * collections keeps them, so a redelivery or an edit values the order with the facts it was
 * earned on; the other lines' products are read (readProductCollections).
 */
export async function orderLineCollections(
  shop: { id: string; domain: string },
  orderId: string,
  earning: OrderForEarning,
  now = new Date(),
): Promise<Map<string, readonly string[]>> {
  const pinned = await storedLineCollections(shop.id, BigInt(orderId));
  const toRead = earning.lines.filter((l) => !pinned.has(l.lineItemId) && l.productId !== null);
  const byProduct = await readProductCollections(
    shop,
    toRead.map((line) => line.productId!),
    now,
  );
  return new Map(
    earning.lines.map((line) => [
      line.lineItemId,
      pinned.get(line.lineItemId) ??
        (line.productId === null ? [] : collectionsOf(byProduct, line.productId)),
    ]),
  );
}

function collectionsOf(byProduct: ReadonlyMap<string, readonly string[]>, productId: string) {
  const ids = byProduct.get(productId);
  if (!ids) throw new Error(`collections of product ${productId} were not read`);
  return ids;
}

/** Lines of the stored order whose collections were read (none when they were not). */
async function storedLineCollections(shopId: string, orderId: bigint) {
  const record = await prisma.orderRecord.findUnique({
    where: { shopId_orderId: { shopId, orderId } },
    select: { order: true },
  });
  const stored = record?.order as { collectionsRead?: boolean; earning?: OrderForEarning } | null;
  const lines = stored?.collectionsRead ? (stored.earning?.lines ?? []) : [];
  return new Map(lines.map((line) => [line.lineItemId, line.collectionIds]));
}

/** The order with each line's collections filled in from `membership` (unchanged when null). */
export function withCollectionIds(
  earning: OrderForEarning,
  membership: CollectionMembership,
): OrderForEarning {
  if (!membership) return earning;
  return {
    ...earning,
    lines: earning.lines.map((line) => {
      const collectionIds = membership.get(line.lineItemId);
      // Never earn as if a product were in no collection because it was not looked up.
      if (!collectionIds) throw new Error(`collections of line ${line.lineItemId} were not read`);
      return { ...line, collectionIds: [...collectionIds] };
    }),
  };
}

/**
 * Inside the processing transaction: the program read there is the one that earns. If it began
 * excluding collections after the read-first step skipped the lookup, fail so the retry reads them.
 */
export function assertCollectionsRead(config: ProgramConfig, membership: CollectionMembership) {
  if (excludesCollections(config) && !membership) {
    throw new Error("the program began excluding collections while the order was read; retrying");
  }
}

const ProductPayload = z.object({ id: z.union([z.number().int(), z.string()]).transform(String) });

/**
 * products/update and products/delete: the product's collections may have changed (or it is
 * gone), so its row is marked stale and the next order with it reads them again. The mark is
 * written even with no row yet, so a read racing this webhook cannot store what it replaced.
 */
export async function markProductStale(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
) {
  const productId = BigInt(ProductPayload.parse(payload).id);
  await tx.$executeRaw`
    INSERT INTO "ProductCollections" AS p ("shopId", "productId", "collectionIds", "fetchedAt", stale)
    VALUES (${shopId}::uuid, ${productId}::bigint, '{}'::text[],
      ${new Date().toISOString()}::timestamp(3), true)
    ON CONFLICT ("shopId", "productId") DO UPDATE
    SET stale = true, "fetchedAt" = GREATEST(p."fetchedAt", EXCLUDED."fetchedAt")`;
  return "applied" as const;
}

/**
 * collections/update: a smart collection's rules or a custom collection's products may have
 * changed, and the payload does not say which products moved in or out, so every row of the shop
 * is marked stale. collections/delete: only rows naming the deleted collection are wrong.
 */
export async function markCollectionStale(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
  deleted: boolean,
) {
  const collectionId = ProductPayload.parse(payload).id;
  const now = new Date().toISOString();
  if (deleted) {
    await tx.$executeRaw`
      UPDATE "ProductCollections"
      SET stale = true, "fetchedAt" = GREATEST("fetchedAt", ${now}::timestamp(3))
      WHERE "shopId" = ${shopId}::uuid AND ${collectionId} = ANY("collectionIds")`;
  } else {
    await tx.$executeRaw`
      UPDATE "ProductCollections"
      SET stale = true, "fetchedAt" = GREATEST("fetchedAt", ${now}::timestamp(3))
      WHERE "shopId" = ${shopId}::uuid`;
  }
  return "applied" as const;
}
