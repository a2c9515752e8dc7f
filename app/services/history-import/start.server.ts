import { z } from "zod";
import prisma from "~/db.server";
import { isUniqueViolation } from "~/db/errors";
import { queueHistoryImport } from "~/jobs/queues/send.server";

/** What the merchant chooses before the import (the first-run checklist or Import/export). */
export const HistoryChoicesSchema = z.strictObject({
  /** Points for the orders of the last N days, dated as the orders were; null: none. */
  pointsDays: z.int().min(1).max(730).nullable(),
  /** Bring in each customer's Shopify store credit balance. */
  storeCredit: z.boolean(),
  /** Send the imported history to Shopify Flow too (off: Flow sees only what happens next). */
  fireFlows: z.boolean(),
});
export type HistoryChoices = z.infer<typeof HistoryChoicesSchema>;

/** Tier spend counts the last 365 days; orders older than that (and the points window) are not read. */
export const SPEND_WINDOW_DAYS = 365;

export function ordersSince(choices: HistoryChoices, now: Date): Date {
  const days = Math.max(SPEND_WINDOW_DAYS, choices.pointsDays ?? 0);
  return new Date(now.getTime() - days * 86_400_000);
}

/**
 * Starts a history import, or answers with the one already running (one at a time per shop: the
 * partial unique index decides, not a lookup). A finished import may be run again: it applies
 * nothing twice.
 */
export async function startHistoryImport(shopId: string, input: unknown) {
  const choices = HistoryChoicesSchema.parse(input);
  try {
    return await prisma.$transaction(async (tx) => {
      const created = await tx.historyImport.create({
        data: { shopId, choices, state: "queued" },
      });
      await queueHistoryImport(tx, { shopId, importId: created.id });
      return { id: created.id, started: true };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const running = await prisma.historyImport.findFirstOrThrow({
      where: { shopId, state: { in: ["queued", "fetching", "applying"] } },
    });
    return { id: running.id, started: false };
  }
}

/** The merchant stops the import: the chunk being applied finishes, nothing more is read. */
export async function stopHistoryImport(shopId: string, importId: string) {
  const { count } = await prisma.historyImport.updateMany({
    where: { id: importId, shopId, state: { in: ["queued", "fetching", "applying"] } },
    data: { state: "stopped", finishedAt: new Date() },
  });
  return count === 1;
}
