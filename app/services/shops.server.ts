import type { Prisma } from "@prisma/client";

/** The shop row for a myshopify domain, created on first contact (install, webhook, proxy call). */
export async function ensureShop(tx: Prisma.TransactionClient, domain: string) {
  return tx.shop.upsert({
    where: { domain },
    create: { domain },
    update: {},
    select: { id: true, domain: true, uninstalledAt: true },
  });
}
