import type { Prisma } from "@prisma/client";
import {
  DEFAULT_PROGRAM_CONFIG,
  describeConfigChange,
  ProgramConfigSchema,
  type ConfigArea,
  type ProgramConfig,
} from "~/domain/program/index";
import { queueRecompute } from "~/jobs/queues/send.server";
import { queueStorefrontPublish } from "~/jobs/queues/send.server";

export interface ProgramInForce {
  /** 0 when the shop never saved a program and the defaults apply. */
  version: number;
  config: ProgramConfig;
}

/** The newest saved program of the shop, or the defaults. */
export async function programInForce(
  tx: Prisma.TransactionClient,
  shopId: string,
): Promise<ProgramInForce> {
  // Raw: read for every order applied (no query compilation, ADR 0034).
  const [latest] = await tx.$queryRaw<{ version: number; config: unknown }[]>`
    SELECT version, config FROM "ProgramVersion"
    WHERE "shopId" = ${shopId}::uuid ORDER BY version DESC LIMIT 1`;
  if (!latest) return { version: 0, config: DEFAULT_PROGRAM_CONFIG };
  return { version: latest.version, config: ProgramConfigSchema.parse(latest.config) };
}

/** The config of one saved version (0: the defaults), e.g. the rules an order was earned under. */
export async function programVersionConfig(
  tx: Prisma.TransactionClient,
  shopId: string,
  version: number,
): Promise<ProgramConfig> {
  if (version === 0) return DEFAULT_PROGRAM_CONFIG;
  const saved = await tx.programVersion.findUniqueOrThrow({
    where: { shopId_version: { shopId, version } },
    select: { config: true },
  });
  return ProgramConfigSchema.parse(saved.config);
}

/**
 * Saves a new version (never edits an old one) and says which areas changed, so the caller can
 * start a recompute when tiers or expiry moved. Invalid input throws zod's error with field paths.
 */
export async function saveProgram(
  tx: Prisma.TransactionClient,
  shopId: string,
  input: unknown,
  createdBy: string | null,
): Promise<ProgramInForce & { changed: ConfigArea[]; recomputeQueued: boolean }> {
  const config = ProgramConfigSchema.parse(input);
  const previous = await programInForce(tx, shopId);
  const version = previous.version + 1;
  // The unique (shopId, version) makes two concurrent saves conflict instead of both "winning".
  await tx.programVersion.create({ data: { shopId, version, config, createdBy } });
  const changed = describeConfigChange(previous.config, config);
  // Klaviyo profile properties depend on the rules (next tier, expiry dates, tier names): after a
  // change every member's profile is sent again, in bulk (catalog §4).
  if (changed.length > 0) {
    await tx.klaviyoConnection.updateMany({
      where: { shopId },
      data: { resyncRequestedAt: new Date() },
    });
  }
  // Tiers and expiry drive member fields (tier, expiry dates shown on profiles): recompute them all.
  const recomputeQueued = changed.includes("tiers") || changed.includes("expiry");
  if (recomputeQueued) {
    // Counted in the save's transaction: the members the recompute will walk through, so the
    // settings page can show its progress against a fixed total.
    const totalMembers = await tx.member.count({ where: { shopId, status: "active" } });
    await tx.recomputeRun.create({
      data: { shopId, fromVersion: previous.version, toVersion: version, totalMembers },
    });
    await queueRecompute(tx, { shopId, fromVersion: previous.version, toVersion: version });
  }
  // The theme extension reads the rules from a shop metafield: publish them after every save.
  await queueStorefrontPublish(tx, shopId);
  return { version, config, changed, recomputeQueued };
}
