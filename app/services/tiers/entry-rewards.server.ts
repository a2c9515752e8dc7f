import type { Member, Prisma } from "@prisma/client";
import type { ProgramConfig } from "~/domain/program/index";
import { deriveTierTimeline, tierEntryBonusKey, type EntryEvent } from "~/domain/tiers";
import { recordEvent } from "../events/outbox.server";
import { bonusEntriesPaid, takeBackBonus } from "../ledger/bonus-entries.server";
import { postEntry } from "../ledger/post-entry.server";
import { queueRewardGrant } from "~/jobs/queues/send.server";
import { grantRewardLater } from "../rewards/grants/record.server";
import type { Standing } from "./types";

/**
 * Settles what tier entries owe (ADR 0054): each tier the replay entered since the checkpoint and
 * that still stands owes its entry bonus (at the amount in force when it was entered) and the
 * tier entry reward, once per member and tier. An entry a refund undid owes nothing: its bonus is
 * taken back like an order's refunded points (not below zero unless the refund setting allows),
 * and its reward, if not issued yet, is withdrawn. Tiers entered before the checkpoint keep theirs.
 */
export async function reconcileEntryRewards(
  tx: Prisma.TransactionClient,
  member: Member,
  standing: Standing,
  config: ProgramConfig,
  now: Date,
): Promise<Member> {
  const settled = new Set(standing.checkpoint?.enteredTierIds ?? []);
  const owed = new Map<string, number>();
  for (const entry of standing.timeline.entries) {
    if (!settled.has(entry.tierId) && !owed.has(entry.tierId)) {
      owed.set(entry.tierId, entry.bonusPoints);
    }
  }
  const current = await settleBonuses(tx, member, { owed, settled, standing }, config, now);
  await settleEntryRewardGrants(tx, current, owed, settled, config);
  return current;
}

/** Each unsettled tier's bonus entries brought to what it owes (its bonus, or nothing). */
async function settleBonuses(
  tx: Prisma.TransactionClient,
  member: Member,
  due: { owed: Map<string, number>; settled: Set<string>; standing: Standing },
  config: ProgramConfig,
  now: Date,
) {
  const { owed, settled, standing } = due;
  const history = standing.timeline.entryHistory;
  // Every entry of a tier's bonus (paid, taken back, paid again), here or on a merged customer.
  const byTier = await bonusEntriesPaid(tx, member, "tier");
  const tiers = new Set([...owed.keys(), ...byTier.keys()]);
  let result = member;
  for (const tierId of [...tiers].sort()) {
    if (settled.has(tierId)) continue;
    const already = byTier.get(tierId);
    const delta = (owed.get(tierId) ?? 0) - (already?.points ?? 0);
    if (delta === 0) continue;
    const first = tierEntryBonusKey(member.id, tierId);
    const key = already ? `${first}:${already.entries}` : first;
    // A bonus taken back names the order whose refund or cancellation undid the entry, or kept
    // the tier from being entered at all (a refund known before the order that would have
    // reached it). Otherwise no entry of the tier stands on the facts as they are known now (a
    // late earlier order went past it, or a merge joined two customers who had each entered it
    // alone): the bonus goes back as a tier bonus, owed once per member and tier (ADR 0054).
    const undone =
      delta < 0
        ? (history.filter((e) => e.kind === "undone" && e.entry.tierId === tierId).at(-1) ??
          (enteredWithoutGivingBack(standing, tierId) ? lastGivenBack(standing) : undefined))
        : undefined;
    const owes = owed.has(tierId);
    result = await postBonusChange(tx, result, config, { tierId, delta, key, undone, owes }, now);
  }
  return result;
}

/**
 * Whether the member's facts with nothing given back (no refund, cancellation or edit taking
 * goods away) enter the tier: then what was given back is why it does not stand.
 */
function enteredWithoutGivingBack(standing: Standing, tierId: string): boolean {
  const orders = standing.input.orders.map((order) => ({
    ...order,
    refunds: [],
    cancelledAt: null,
    edited: order.edited && order.edited.goodsMinor > order.goodsMinor ? order.edited : null,
  }));
  const timeline = deriveTierTimeline({ ...standing.input, orders });
  return timeline.entries.some((entry) => entry.tierId === tierId);
}

async function postBonusChange(
  tx: Prisma.TransactionClient,
  member: Member,
  config: ProgramConfig,
  change: {
    tierId: string;
    delta: number;
    key: string;
    undone: EntryEvent | undefined;
    /** Whether a standing entry owes the tier's bonus (then only the excess goes back). */
    owes: boolean;
  },
  now: Date,
): Promise<Member> {
  const { tierId, delta, key: idempotencyKey } = change;
  if (delta > 0) {
    const result = await postEntry(tx, member, {
      kind: "bonus",
      source: "tier_bonus",
      points: delta,
      idempotencyKey,
      detail: { tierId },
      now,
    });
    if (result.status !== "posted") return member;
    await recordEvent(tx, result.member, config, "points.added", {
      points: delta,
      source: "tier_bonus",
      order_id: null,
      order_name: null,
      note: null,
    });
    return result.member;
  }
  // The bonus of a tier a refund or cancellation undid goes back as the refunded points do.
  const { undone } = change;
  const name = config.tiers.find((t) => t.id === tierId)?.name ?? tierId;
  const why = change.owes ? `${name} is owed its entry bonus once` : `${name} was not entered`;
  return takeBackBonus(tx, member, config, {
    requested: -delta,
    key: idempotencyKey,
    detail: { tierId },
    ownSource: "tier_bonus",
    undone: undone
      ? {
          cause: undone.cause === "cancellation" ? "cancellation" : "refund",
          orderId: undone.orderId,
          orderName: null,
        }
      : null,
    note: undone ? "VIP tier entry bonus taken back" : `VIP tier entry bonus taken back: ${why}`,
    now,
  });
}

/**
 * The tier entry reward: granted once per standing entry. An entry a refund undid withdraws it:
 * not issued yet, the grant is revoked here; issued, it is marked `revoking` and the grant job
 * voids the code at Shopify (revoke.server.ts) — unless the shopper already used it.
 */
async function settleEntryRewardGrants(
  tx: Prisma.TransactionClient,
  member: Member,
  owed: Map<string, number>,
  settled: Set<string>,
  config: ProgramConfig,
) {
  // grant:tier_entry:<member>:<tier>[:n]; a merged customer's grants moved here keep their key.
  const grants = await tx.rewardGrant.findMany({
    where: {
      shopId: member.shopId,
      memberId: member.id,
      idempotencyKey: { startsWith: "grant:tier_entry:" },
    },
    select: { id: true, idempotencyKey: true, state: true, createdAt: true },
  });
  const prefix = `grant:tier_entry:${member.id}:`;
  const tierOf = (key: string) => key.split(":")[3]!;
  // A tier owes one entry reward: when a merge brought the merged customer's reward for a tier
  // the kept member also holds one for, one stays (the one given out first) and the other is
  // withdrawn, as a reward the merged timeline does not owe.
  const kept = new Map<string, string>();
  for (const grant of [...grants].sort(byFirstGiven)) {
    const tierId = tierOf(grant.idempotencyKey);
    const live = grant.state !== "revoked" && grant.state !== "revoking";
    if (owed.has(tierId) && live && !kept.has(tierId)) kept.set(tierId, grant.id);
  }
  let revoking = false;
  for (const grant of grants) {
    const tierId = tierOf(grant.idempotencyKey);
    if (kept.get(tierId) === grant.id || settled.has(tierId)) continue;
    if (grant.state === "pending") {
      await tx.rewardGrant.update({ where: { id: grant.id }, data: { state: "revoked" } });
    } else if (grant.state === "issued") {
      await tx.rewardGrant.update({ where: { id: grant.id }, data: { state: "revoking" } });
      revoking = true;
    }
  }
  if (revoking) await queueRewardGrant(tx, member.shopId);
  for (const tierId of owed.keys()) {
    const mine = grants.filter((g) => tierOf(g.idempotencyKey) === tierId);
    // A tier entered again after its reward was withdrawn owes a new one.
    if (kept.has(tierId)) continue;
    const key = mine.length === 0 ? `${prefix}${tierId}` : `${prefix}${tierId}:${mine.length}`;
    await grantRewardLater(tx, member, "tier_entry", config.bonuses.tierEntryRewardHandle, key);
  }
}

/** The order most recently refunded or cancelled, as the cause of a bonus taken back. */
function lastGivenBack(standing: Standing): EntryEvent | undefined {
  let latest: EntryEvent | undefined;
  for (const { spend } of standing.orders) {
    const facts = [
      ...spend.refunds.map((r) => ({ at: r.at, cause: "refund" as const })),
      ...(spend.cancelledAt ? [{ at: spend.cancelledAt, cause: "cancellation" as const }] : []),
    ];
    for (const fact of facts) {
      if (!latest || fact.at > latest.at) {
        latest = {
          kind: "undone",
          entry: { tierId: "", at: fact.at, bonusPoints: 0 },
          ...fact,
          orderId: spend.orderId,
        };
      }
    }
  }
  return latest;
}

/** Grants in the order they were given: issued, then pending, then failed; the oldest first. */
function byFirstGiven(
  a: { state: string; createdAt: Date; id: string },
  b: { state: string; createdAt: Date; id: string },
) {
  const rank = (state: string) => (state === "issued" ? 0 : state === "pending" ? 1 : 2);
  return (
    rank(a.state) - rank(b.state) ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    a.id.localeCompare(b.id)
  );
}
