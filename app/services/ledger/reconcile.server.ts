import prisma from "~/db.server";
import { logger } from "~/lib/logger.server";

export interface ReconciliationReport {
  shopId: string;
  membersChecked: number;
  /** Members whose cached balance differs from the sum of their entries (newly recorded today). */
  drifted: number;
}

/**
 * Proves `pointsBalance == sum(entries)` for every member of the shop in one set-based statement
 * and records each member that does not hold (once per UTC day). The balance is updated in the
 * same transaction as its entry, so one statement's snapshot sees both consistently.
 */
export async function reconcileLedger(
  shopId: string,
  now = new Date(),
): Promise<ReconciliationReport> {
  const detectedOn = now.toISOString().slice(0, 10);
  const drifted = await prisma.$executeRaw`
    INSERT INTO "LedgerDrift" (id, "shopId", "memberId", "customerId", "cachedBalance", "ledgerSum", "detectedOn")
    SELECT gen_random_uuid(), m."shopId", m.id, m."customerId", m."pointsBalance", coalesce(s.total, 0), ${detectedOn}
    FROM "Member" m
    LEFT JOIN (
      SELECT "memberId", sum(points)::int AS total FROM "LedgerEntry"
      WHERE "shopId" = ${shopId}::uuid GROUP BY "memberId"
    ) s ON s."memberId" = m.id
    WHERE m."shopId" = ${shopId}::uuid AND m."pointsBalance" <> coalesce(s.total, 0)
    ON CONFLICT ("shopId", "memberId", "detectedOn") DO NOTHING`;
  const membersChecked = await prisma.member.count({ where: { shopId } });
  if (drifted > 0) {
    // An alert for whoever watches the logs; the admin home shows the same rows as a banner.
    logger.error("ledger drift: cached balances differ from their entries", { shopId, drifted });
  }
  return { shopId, membersChecked, drifted };
}

/** Unresolved drift of a shop, for the admin banner. */
export async function unresolvedDrift(shopDomain: string) {
  return prisma.ledgerDrift.count({
    where: { shop: { domain: shopDomain }, resolvedAt: null },
  });
}

/** Every shop with members (installed or not: the ledger must hold for all of them). */
export async function shopsToReconcile() {
  const shops = await prisma.shop.findMany({
    where: { members: { some: {} } },
    select: { id: true },
  });
  return shops.map((shop) => shop.id);
}
