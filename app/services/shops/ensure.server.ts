import type { Prisma } from "@prisma/client";

const SHOP_FIELDS = { id: true, domain: true, uninstalledAt: true } as const;

/**
 * The shop row for a myshopify domain, created on first contact (install, webhook, proxy call).
 * A new shop's first webhooks arrive concurrently; Prisma's upsert is a select-then-insert, so two
 * of them raced into a unique violation (a 500). ON CONFLICT DO NOTHING (createMany with
 * skipDuplicates) waits for the other insert instead, and the read that follows sees its row.
 */
export async function ensureShop(tx: Prisma.TransactionClient, domain: string) {
  const existing = await tx.shop.findUnique({ where: { domain }, select: SHOP_FIELDS });
  if (existing) return existing;
  await tx.shop.createMany({ data: { domain }, skipDuplicates: true });
  return tx.shop.findUniqueOrThrow({ where: { domain }, select: SHOP_FIELDS });
}
