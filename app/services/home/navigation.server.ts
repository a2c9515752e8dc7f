import prisma from "~/db.server";
import { programInForce } from "../program/versions.server";

/**
 * What the app's navigation offers a shop: only what it uses. Store credit review is a page of
 * store credit Shopify has not confirmed; it belongs in the menu once the shop gives store credit
 * (cashback switched on, or any store credit ever recorded), not before.
 */
export async function navigationFor(shopId: string) {
  const [{ config }, anyCredit] = await Promise.all([
    programInForce(prisma, shopId),
    prisma.storeCreditTransaction.findFirst({ where: { shopId }, select: { id: true } }),
  ]);
  return { storeCreditReview: config.storeCredit.enabled || anyCredit !== null };
}
