import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { ReferralProgramSchema } from "~/domain/referrals/rules";
import { programSummary, type ProgramSummary } from "~/domain/storefront/index";
import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { publishProgramMetafield } from "~/integrations/shopify/program-metafield.server";
import { programInForce } from "../program/versions.server";

/** The summary the storefront reads: the program in force, the shop's currency, referrals. */
export async function storefrontProgram(
  tx: Prisma.TransactionClient,
  shopId: string,
): Promise<ProgramSummary> {
  const [{ config }, shop, referral] = await Promise.all([
    programInForce(tx, shopId),
    tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } }),
    tx.referralProgram.findUnique({ where: { shopId } }),
  ]);
  const referralRules = ReferralProgramSchema.parse(referral?.config ?? {});
  return programSummary(config, shop.currency, referralRules);
}

/**
 * Writes the current summary to the `$app:loyalty.program` shop metafield. Reads the program when
 * it runs (not when it was queued), so a late retry publishes the newest rules, never older ones.
 */
export async function publishStorefrontProgram(
  shopId: string,
  adminFor: (shopDomain: string) => Promise<AdminGraphql>,
) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
  if (shop.uninstalledAt) return { published: false as const };
  const summary = await storefrontProgram(prisma, shopId);
  await publishProgramMetafield(await adminFor(shop.domain), summary);
  return { published: true as const, summary };
}
