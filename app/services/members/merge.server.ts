import type { Member, Prisma } from "@prisma/client";
import { z } from "zod";
import type { ProgramConfig } from "~/domain/program/index";
import { logger } from "~/lib/logger.server";
import { postEntry } from "../ledger/post-entry.server";
import { recordEvent } from "../events/outbox.server";
import { programInForce } from "../program/versions.server";
import type { HandlerOutcome } from "../webhooks/stored-delivery";
import { formatIsoDate, localDate, shopTimeZone } from "~/domain/calendar";
import { refreshPendingPoints } from "../ledger/pending.server";
import { readTierHistory, writeTierHistory } from "../tiers/checkpoint";
import { moveBalanceByLots, moveBelongings } from "./merge-moves.server";
import { reconcileTier } from "../tiers/evaluate.server";

// customers/merge (topic CUSTOMERS_MERGE, scope read_customer_merge). Shape from Shopify's webhook
// reference sample (https://shopify.dev/docs/api/webhooks/2026-07, "customers/merge"):
//   { admin_graphql_api_customer_kept_id: "gid://shopify/Customer/1",
//     admin_graphql_api_customer_deleted_id: "gid://shopify/Customer/2",
//     admin_graphql_api_job_id: null, status: "failed", errors: [{ customer_ids, field, message }] }
// Only the ids and the status are read; errors may name people, so they are never logged.
const CustomerGid = z
  .string()
  .regex(/^gid:\/\/shopify\/Customer\/[1-9]\d*$/, "expected a Shopify customer GID")
  .transform((gid) => BigInt(gid.slice(gid.lastIndexOf("/") + 1)));

export const CustomerMergePayload = z
  .object({
    admin_graphql_api_customer_kept_id: CustomerGid,
    admin_graphql_api_customer_deleted_id: CustomerGid,
    admin_graphql_api_job_id: z.string().nullish(),
    // GraphQL's CustomerMergeRequestStatus is REQUESTED | IN_PROGRESS | COMPLETED | FAILED; the
    // webhook sample writes "failed" in lower case, so the case is not relied on.
    status: z
      .string()
      .min(1)
      .transform((status) => status.toLowerCase()),
  })
  .loose()
  .refine((p) => p.admin_graphql_api_customer_kept_id !== p.admin_graphql_api_customer_deleted_id, {
    message: "kept and deleted customer must differ",
    path: ["admin_graphql_api_customer_deleted_id"],
  });

/** A merge chain longer than this is corrupt data, not history: stop instead of looping. */
const MAX_CHAIN = 20;

/**
 * Moves everything the deleted customer's member had to the kept customer's member, once:
 * the balance as two `merge` ledger entries (never edits old ones), lifetime totals, orders (so
 * later refunds claw back from the kept member), the earlier registration and a missing birthday;
 * the higher tier is kept until tier recompute takes over. Unknown customers are created (the kept
 * one is a real customer; the deleted one becomes the record that it was merged), so a merge that
 * arrives before the customers' own webhooks is not lost.
 */
export async function applyCustomerMerge(
  tx: Prisma.TransactionClient,
  shopId: string,
  payload: unknown,
): Promise<HandlerOutcome> {
  const merge = CustomerMergePayload.parse(payload);
  // A merge that failed or has not finished changed nothing in Shopify either.
  if (merge.status !== "completed") return "ignored";
  const keptCustomerId = merge.admin_graphql_api_customer_kept_id;
  const mergedCustomerId = merge.admin_graphql_api_customer_deleted_id;

  const created = await tx.$queryRaw<{ customerId: bigint }[]>`
    INSERT INTO "Member" (id, "shopId", "customerId", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), ${shopId}::uuid, c, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM unnest(${[keptCustomerId, mergedCustomerId].map(String)}::bigint[]) AS c
    ON CONFLICT ("shopId", "customerId") DO NOTHING
    RETURNING "customerId"`;
  const locked = await lockMembers(tx, shopId, [keptCustomerId, mergedCustomerId]);
  const merged = locked.find((m) => m.customerId === mergedCustomerId)!;
  // Checked under the row lock, so a concurrent redelivery waits and then sees the merge; the
  // unique (shopId, mergedMemberId) of MemberMerge is the backstop.
  if (merged.mergedIntoId !== null) return "ignored";
  // If the kept customer was itself merged away (webhooks out of order), follow it to the member
  // that is still active, so the points never land on a member nobody can use.
  const kept = await survivor(
    tx,
    locked.find((m) => m.customerId === keptCustomerId)!,
  );
  if (kept.id === merged.id) {
    logger.warn("customer merge would close a cycle; ignored", { shopId, memberId: merged.id });
    return "ignored";
  }

  const { config } = await programInForce(tx, shopId);
  // A kept customer first seen in this merge becomes a member now; the deleted one is only the
  // record that it was merged, never announced.
  if (created.some((row) => row.customerId === kept.customerId)) {
    await recordEvent(tx, kept, config, "member.activated", {
      activated_at: kept.createdAt.toISOString(),
      account_registered: false,
      source: "merge",
    });
  }
  const moved = merged.pointsBalance;
  const jobId = merge.admin_graphql_api_job_id ?? null;
  let receiving = kept;
  // The lots are read before the balance leaves, then it leaves in one entry.
  receiving = await moveBalanceByLots(tx, merged, receiving, { jobId });
  if (moved !== 0) {
    await moveEntry(tx, merged, -moved, `merge:${merged.id}:out`, { into: kept.id, jobId });
  }
  receiving = await moveBelongings(tx, merged, receiving);
  const ordersMoved = await moveOrders(tx, shopId, merged.customerId, kept.customerId);
  receiving = await tx.member.update({
    where: { id: kept.id },
    data: {
      ...combined(receiving, merged),
      tierCheckpoint: combinedCheckpoint(kept, merged, config),
    },
  });
  await tx.member.update({
    where: { id: merged.id },
    data: {
      status: "merged",
      mergedIntoId: kept.id,
      // Moved, not copied: totals summed over members stay true. MemberMerge keeps the amounts.
      lifetimeEarned: 0,
      lifetimeSpent: 0,
      // Its orders, held points, store credit and tier now count on the kept member.
      pendingPoints: 0,
      storeCreditMinor: 0,
      tierId: null,
      tierEnteredAt: null,
      tierPeriodEndsAt: null,
      tierLockedUntil: null,
      // Shopify deleted this customer and chose which contact details the kept one carries.
      email: null,
      phone: null,
      firstName: null,
      lastName: null,
      addressKey: null,
    },
  });
  await tx.memberMerge.create({
    data: {
      shopId,
      mergedMemberId: merged.id,
      keptMemberId: kept.id,
      mergedCustomerId: merged.customerId,
      keptCustomerId: kept.customerId,
      points: moved,
      lifetimeEarned: merged.lifetimeEarned,
      lifetimeSpent: merged.lifetimeSpent,
      ordersMoved,
      jobId,
    },
  });
  // The tier follows the combined facts: both customers' orders, from the checkpoint kept above;
  // the moved orders' held points count on the kept member.
  const shop = await tx.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { timeZone: true },
  });
  const timeZone = shopTimeZone(shop.timeZone);
  const now = new Date();
  receiving = await refreshPendingPoints(
    tx,
    receiving,
    formatIsoDate(localDate(now, timeZone)),
    now,
  );
  ({ member: receiving } = await reconcileTier(tx, receiving, config, timeZone, now));
  await recordEvent(tx, receiving, config, "customer.merged", {
    kept_customer_id: receiving.customerId.toString(),
    merged_customer_id: merged.customerId.toString(),
    merged_points_balance: moved,
    combined_points_balance: receiving.pointsBalance,
    current_tier: config.tiers.find((t) => t.id === receiving.tierId)?.name ?? null,
  });
  return "applied";
}

/**
 * The member a customer's loyalty now lives on: itself, or the end of its merge chain. For the
 * order handlers too: an order of a merged-away customer belongs to the member it was merged into.
 */
export async function survivor(tx: Prisma.TransactionClient, member: Member): Promise<Member> {
  let current = member;
  for (let hops = 0; current.mergedIntoId !== null; hops += 1) {
    if (hops >= MAX_CHAIN) throw new Error(`merge chain of member ${member.id} does not end`);
    current = await lockMemberById(tx, current.mergedIntoId);
  }
  return current;
}

/** Both rows FOR UPDATE in id order, so two merges touching the same members cannot deadlock. */
async function lockMembers(tx: Prisma.TransactionClient, shopId: string, customerIds: bigint[]) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Member"
    WHERE "shopId" = ${shopId}::uuid AND "customerId" = ANY(${customerIds.map(String)}::bigint[])
    ORDER BY id FOR UPDATE`;
  return tx.member.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
}

async function lockMemberById(tx: Prisma.TransactionClient, id: string) {
  await tx.$queryRaw`SELECT id FROM "Member" WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.member.findUniqueOrThrow({ where: { id } });
}

async function moveEntry(
  tx: Prisma.TransactionClient,
  member: Member,
  points: number,
  idempotencyKey: string,
  detail: Record<string, string | null>,
) {
  const result = await postEntry(tx, member, {
    kind: "merge",
    source: "customer_merge",
    points,
    idempotencyKey,
    detail,
    // A balance moves as it is, negative included (the catalog allows a negative merged balance).
    allowNegative: true,
  });
  // The merge was not recorded yet (checked under lock), so its entries cannot exist either.
  if (result.status !== "posted") throw new Error(`merge entry ${idempotencyKey} already exists`);
  return result.member;
}

/**
 * Re-points the merged customer's orders, so a later refund or cancellation reconciles against the
 * kept member. The order's stored contact is cleared because reconcileOrder refreshes the member's
 * contact from it: left in place, it would overwrite the kept customer's email with the deleted one's.
 */
async function moveOrders(
  tx: Prisma.TransactionClient,
  shopId: string,
  from: bigint,
  to: bigint,
): Promise<number> {
  const noContact = JSON.stringify({ email: null, phone: null, firstName: null, lastName: null });
  return tx.$executeRaw`
    UPDATE "OrderRecord"
    SET "customerId" = ${to},
        "order" = jsonb_set("order", '{customer}', ${noContact}::jsonb, false),
        "updatedAt" = now() AT TIME ZONE 'UTC'
    WHERE "shopId" = ${shopId}::uuid AND "customerId" = ${from}`;
}

/**
 * The kept member's tier history (ADR 0054). The replay starts from the higher of the two bases
 * (the state each held when tiers became derived), and the tiers either had entered by then stay
 * settled. The kept customer's assignments stay as they are; the merged customer's become
 * floors: a tier the merchant gave that customer lifts the combined member from its instant,
 * but its assignment never lowers what the kept customer's facts reached. Tiers that came from
 * orders need nothing: the merged customer's orders replay with the kept's.
 */
function combinedCheckpoint(kept: Member, merged: Member, config: ProgramConfig) {
  const rank = (tierId: string | null) => config.tiers.findIndex((t) => t.id === tierId);
  const ours = readTierHistory(kept.tierCheckpoint);
  const theirs = readTierHistory(merged.tierCheckpoint);
  let base = ours.base ?? theirs.base;
  if (ours.base && theirs.base) {
    const higher =
      rank(theirs.base.state.tierId) > rank(ours.base.state.tierId) ? theirs.base : ours.base;
    const entered = new Set([...ours.base.enteredTierIds, ...theirs.base.enteredTierIds]);
    base = { ...higher, enteredTierIds: [...entered] };
  }
  const floors = theirs.assignments.map((a) => ({ ...a, floor: true }));
  return writeTierHistory({ base, assignments: [...ours.assignments, ...floors] });
}

/** What the kept member takes over from the merged one (points moved separately, via the ledger). */
function combined(kept: Member, merged: Member): Prisma.MemberUpdateInput {
  // Only a missing birthday is taken over: the kept customer's own answer wins.
  const birthday =
    kept.birthMonth === null && merged.birthMonth !== null
      ? { birthMonth: merged.birthMonth, birthDay: merged.birthDay, birthYear: merged.birthYear }
      : {};
  return {
    lifetimeEarned: { increment: merged.lifetimeEarned },
    lifetimeSpent: { increment: merged.lifetimeSpent },
    // The earlier registration, so the welcome bonus is not paid a second time to the same person.
    accountRegisteredAt: earliest(kept.accountRegisteredAt, merged.accountRegisteredAt),
    lastActivityAt: latest(kept.lastActivityAt, merged.lastActivityAt),
    ...birthday,
  };
}

function earliest(a: Date | null, b: Date | null) {
  if (!a || !b) return a ?? b;
  return a < b ? a : b;
}

function latest(a: Date | null, b: Date | null) {
  if (!a || !b) return a ?? b;
  return a > b ? a : b;
}
