import type { Prisma } from "@prisma/client";
import {
  DEFAULT_PROGRAM_CONFIG,
  ProgramConfigSchema,
  type ProgramConfig,
} from "~/domain/program/index";
import type { ProgramPeriod } from "~/domain/tiers";

/** Saved versions never change, so a parsed config is kept (bounded: most shops have a few). */
const parsed = new Map<string, ProgramConfig>();
const MAX_CACHED = 5_000;

export interface ProgramVersionInForce {
  version: number;
  /** When it took effect: when it was saved (null for the defaults before any save). */
  from: Date | null;
  config: ProgramConfig;
}

/**
 * Every program version of the shop, oldest first, with the instant it took effect; the defaults
 * alone when the shop never saved one. The tier replay uses the rules in force at each fact.
 */
export async function programHistory(
  tx: Prisma.TransactionClient,
  shopId: string,
): Promise<ProgramVersionInForce[]> {
  const rows = await tx.$queryRaw<{ version: number; createdAt: Date }[]>`
    SELECT version, "createdAt" FROM "ProgramVersion"
    WHERE "shopId" = ${shopId}::uuid ORDER BY version`;
  if (rows.length === 0) return [{ version: 0, from: null, config: DEFAULT_PROGRAM_CONFIG }];
  const missing = rows.filter((row) => !parsed.has(`${shopId}:${row.version}`));
  if (missing.length > 0) {
    const configs = await tx.$queryRaw<{ version: number; config: unknown }[]>`
      SELECT version, config FROM "ProgramVersion"
      WHERE "shopId" = ${shopId}::uuid AND version = ANY(${missing.map((r) => r.version)}::int[])`;
    if (parsed.size + configs.length > MAX_CACHED) parsed.clear();
    for (const row of configs) {
      parsed.set(`${shopId}:${row.version}`, ProgramConfigSchema.parse(row.config));
    }
  }
  return rows.map((row) => ({
    version: row.version,
    from: row.createdAt,
    config: parsed.get(`${shopId}:${row.version}`)!,
  }));
}

/** The versions as the tier replay takes them: each one's tiers and period length. */
export function tierPrograms(history: readonly ProgramVersionInForce[]): ProgramPeriod[] {
  return history.map((entry, index) => ({
    // The first version governs everything before it too (orders from before the program).
    from: index === 0 ? null : entry.from,
    rules: entry.config.tiers,
    periodDays: entry.config.tierRules.periodDays,
  }));
}
