import type { Prisma } from "@prisma/client";
import { tierEntryBonusKey, type TierRule } from "~/domain/tiers";
import { DESTINATIONS } from "../events/outbox.server";
import type { TierEntry } from "./placement.server";
import { memberSnapshotSql } from "./snapshot-sql";

/**
 * Pays the entry bonus of each tier the batch moved members into, as the order path does
 * (applyTierEvaluation): a `bonus`/`tier_bonus` ledger entry under tierEntryBonusKey, the balance
 * and lifetime earned moved with it, last activity set, and a points.added event. The unique
 * (shopId, idempotencyKey) pays each member a tier's bonus once ever, whichever path gets there
 * first. One statement for the whole batch; the members are already locked by the placement's
 * UPDATE in this transaction, so the balances read here are current. Returns the bonuses paid.
 */
export async function payEntryBonuses(
  tx: Prisma.TransactionClient,
  shopId: string,
  /** The program's tiers, for the snapshot's vip_tier. */
  tiers: readonly Pick<TierRule, "id" | "name">[],
  entries: readonly TierEntry[],
  now: Date,
): Promise<number> {
  const paying = entries.filter((entry) => entry.entryBonusPoints > 0);
  if (paying.length === 0) return 0;
  // The ledger's own clock, as postEntry stamps entries (the dashboard reads entries by it).
  const recordedAt = new Date();
  const deliveries = await tx.$executeRaw`
    WITH wanted AS (
      SELECT * FROM unnest(
        ${paying.map((entry) => entry.memberId)}::uuid[],
        ${paying.map((entry) => entry.tierId)}::text[],
        ${paying.map((entry) => entry.entryBonusPoints)}::int[],
        ${paying.map((entry) => tierEntryBonusKey(entry.memberId, entry.tierId))}::text[]
      ) AS w("memberId", "tierId", "points", "idempotencyKey")
    ),
    granted AS (
      INSERT INTO "LedgerEntry" ("id", "shopId", "memberId", "points", "kind", "source",
        "idempotencyKey", "orderId", "balanceAfter", "detail", "createdAt")
      SELECT gen_random_uuid(), m."shopId", m."id", w."points", 'bonus', 'tier_bonus',
        w."idempotencyKey", NULL, m."pointsBalance" + w."points",
        jsonb_build_object('tierId', w."tierId"), ${recordedAt}::timestamp
      FROM wanted w
      JOIN "Member" m ON m."id" = w."memberId" AND m."shopId" = ${shopId}::uuid
      ON CONFLICT ("shopId", "idempotencyKey") DO NOTHING
      RETURNING "memberId", "points", "balanceAfter"
    ),
    credited AS (
      UPDATE "Member" m SET
        "pointsBalance" = g."balanceAfter",
        "lifetimeEarned" = m."lifetimeEarned" + g."points",
        "lastActivityAt" = ${now}::timestamp,
        "updatedAt" = ${recordedAt}::timestamp
      FROM granted g
      WHERE m."id" = g."memberId"
      RETURNING m.*, g."points" AS "bonusPoints"
    ),
    events AS (
      INSERT INTO "LoyaltyEvent"
        ("id", "shopId", "memberId", "customerId", "type", "payload", "snapshot", "occurredAt")
      SELECT gen_random_uuid(), c."shopId", c."id", c."customerId", 'points.added',
        jsonb_build_object(
          'points', c."bonusPoints",
          'source', 'tier_bonus',
          'order_id', NULL,
          'order_name', NULL,
          'note', NULL
        ),
        ${memberSnapshotSql('tier."name"')},
        ${now}::timestamp
      FROM credited c
      LEFT JOIN unnest(${tiers.map((t) => t.id)}::text[], ${tiers.map((t) => t.name)}::text[])
        AS tier("id", "name") ON tier."id" = c."tierId"
      RETURNING "id", "shopId"
    )
    INSERT INTO "EventDelivery" ("eventId", "shopId", "destination", "updatedAt")
    SELECT events."id", events."shopId", destination, ${now}::timestamp
    FROM events CROSS JOIN unnest(${[...DESTINATIONS]}::text[]) AS destination`;
  return deliveries / DESTINATIONS.length;
}
