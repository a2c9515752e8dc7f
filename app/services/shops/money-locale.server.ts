import type { Prisma } from "@prisma/client";
import { moneyLocale } from "~/domain/money";

/** The locale the shop's formatted money is written in (its country's; ADR 0062). */
export async function shopMoneyLocale(db: Prisma.TransactionClient, shopId: string) {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { countryCode: true } });
  return moneyLocale(shop?.countryCode);
}
