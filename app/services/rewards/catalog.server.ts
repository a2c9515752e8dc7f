import type { Prisma, Reward } from "@prisma/client";
import prisma from "~/db.server";
import { RewardDefinitionSchema, type RewardDefinition } from "~/domain/rewards/index";
import { queueStorefrontPublish } from "~/jobs/queues/send.server";
import { LoyaltyError } from "../errors";

export interface CatalogReward {
  id: string;
  definition: RewardDefinition;
}

/**
 * Creates or replaces the shop's reward with this handle. Issued rewards keep their own snapshot,
 * so editing a reward never changes what a member already holds. Invalid input throws zod's
 * error with field paths (the admin form shows them).
 */
export async function saveReward(shopId: string, input: unknown): Promise<CatalogReward> {
  const definition = RewardDefinitionSchema.parse(input);
  const data = {
    name: definition.name,
    type: definition.type,
    enabled: definition.enabled,
    definition: definition as Prisma.InputJsonValue,
  };
  const row = await prisma.$transaction(async (tx) => {
    const saved = await tx.reward.upsert({
      where: { shopId_handle: { shopId, handle: definition.handle } },
      create: { shopId, handle: definition.handle, ...data },
      update: data,
    });
    // The rewards page a signed-out shopper reads lists the catalog (storefront metafield).
    await queueStorefrontPublish(tx, shopId);
    return saved;
  });
  return toCatalogReward(row);
}

/** Turns a reward on or off; issued rewards are not affected. */
export async function setRewardEnabled(shopId: string, handle: string, enabled: boolean) {
  const row = await prisma.reward.findUnique({ where: { shopId_handle: { shopId, handle } } });
  if (!row) throw new LoyaltyError("reward_not_found", `There is no reward "${handle}"`);
  const definition = { ...RewardDefinitionSchema.parse(row.definition), enabled };
  await prisma.$transaction(async (tx) => {
    await tx.reward.update({
      where: { id: row.id },
      data: { enabled, definition: definition as Prisma.InputJsonValue },
    });
    await queueStorefrontPublish(tx, shopId);
  });
}

export async function listRewards(
  shopId: string,
  options: { enabledOnly?: boolean } = {},
): Promise<CatalogReward[]> {
  const rows = await prisma.reward.findMany({
    where: { shopId, ...(options.enabledOnly ? { enabled: true } : {}) },
    orderBy: [{ createdAt: "asc" }, { handle: "asc" }],
  });
  return rows.map(toCatalogReward);
}

/** A reward of this shop by id or handle; another shop's id is "not found" like an unknown one. */
export async function findReward(
  tx: Prisma.TransactionClient,
  shopId: string,
  ref: { id: string } | { handle: string },
): Promise<CatalogReward> {
  const isUuid = "id" in ref && /^[0-9a-f-]{36}$/i.test(ref.id);
  const row =
    "handle" in ref
      ? await tx.reward.findUnique({ where: { shopId_handle: { shopId, handle: ref.handle } } })
      : isUuid
        ? await tx.reward.findFirst({ where: { shopId, id: ref.id } })
        : null;
  if (!row) {
    const name = "handle" in ref ? ref.handle : ref.id;
    throw new LoyaltyError("reward_not_found", `There is no reward "${name}"`);
  }
  return toCatalogReward(row);
}

function toCatalogReward(row: Reward): CatalogReward {
  return { id: row.id, definition: RewardDefinitionSchema.parse(row.definition) };
}
