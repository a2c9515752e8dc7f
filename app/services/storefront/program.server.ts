import type { Prisma } from "@prisma/client";
import prisma from "~/db.server";
import { ReferralProgramSchema } from "~/domain/referrals/rules";
import { RewardDefinitionSchema } from "~/domain/rewards/index";
import { programSummary, type ProgramSummary } from "~/domain/storefront/index";
import type { AdminGraphql } from "~/integrations/shopify/admin-client.server";
import { publishProgramMetafield } from "~/integrations/shopify/program-metafield.server";
import { programInForce } from "../program/versions.server";

/** The summary the storefront reads: the program in force, the currency, referrals, rewards. */
export async function storefrontProgram(
  tx: Prisma.TransactionClient,
  shopId: string,
): Promise<ProgramSummary> {
  const [{ config }, shop, referral, rewards] = await Promise.all([
    programInForce(tx, shopId),
    tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } }),
    tx.referralProgram.findUnique({ where: { shopId } }),
    tx.reward.findMany({
      where: { shopId, enabled: true },
      orderBy: [{ createdAt: "asc" }, { handle: "asc" }],
    }),
  ]);
  const referralRules = ReferralProgramSchema.parse(referral?.config ?? {});
  const catalog = rewards.map((r) => RewardDefinitionSchema.parse(r.definition));
  return programSummary(config, shop.currency, referralRules, catalog);
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
