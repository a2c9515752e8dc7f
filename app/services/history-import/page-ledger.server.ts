import { randomUUID } from "node:crypto";
import type { Member, Prisma } from "@prisma/client";
import type { LoyaltyEventType, PayloadOf } from "~/domain/events/index";
import type { ProgramConfig } from "~/domain/program/index";
import { recordEvents, type EventToRecord } from "../events/outbox.server";
import { entryEffect, type EntryInput } from "../ledger/post-entry.server";

interface EntryRow {
  id: string;
  memberId: string;
  points: number;
  kind: string;
  source: string;
  idempotencyKey: string;
  orderId: bigint | null;
  balanceAfter: number;
  detail: string | null;
  createdAt: Date;
}

/**
 * A page of members' ledger entries and events kept in memory, then written with one statement
 * per table (ADR 0074). `post` is postEntry without the round trip: the same arithmetic
 * (entryEffect) and the member row as postEntry's UPDATE … RETURNING gives it back, so the events
 * recorded after an entry carry the same snapshot. Only members whose ledger holds no entry under
 * the keys posted here may be posted for: the caller checked that under the members' locks, so no
 * key can be a duplicate and every entry is written.
 */
export class PageLedger {
  private readonly entries: EntryRow[] = [];
  private readonly events: EventToRecord[] = [];
  private readonly members = new Map<string, Member>();
  private readonly keys = new Set<string>();

  constructor(private readonly config: ProgramConfig) {}

  post(member: Member, input: EntryInput): { posted: true; member: Member } | { posted: false } {
    const effect = entryEffect(member, input);
    if (effect.status === "insufficient") return { posted: false };
    // Two entries under one key in a page would be a bug of the caller, not a duplicate fact.
    if (this.keys.has(input.idempotencyKey)) {
      throw new Error(`ledger key ${input.idempotencyKey} posted twice in one page`);
    }
    this.keys.add(input.idempotencyKey);
    this.entries.push({
      id: randomUUID(),
      memberId: member.id,
      points: input.points,
      kind: input.kind,
      source: input.source,
      idempotencyKey: input.idempotencyKey,
      orderId: input.orderId ?? null,
      balanceAfter: effect.balanceAfter,
      detail: input.detail === undefined ? null : JSON.stringify(input.detail),
      createdAt: input.occurredAt ?? new Date(),
    });
    const activity = effect.activity;
    const updated: Member = {
      ...member,
      pointsBalance: effect.balanceAfter,
      lifetimeEarned: member.lifetimeEarned + effect.lifetime.earned,
      lifetimeSpent: member.lifetimeSpent + effect.lifetime.spent,
      // GREATEST(activity, lastActivityAt): the latest wins, a null counts for nothing.
      lastActivityAt:
        activity && (!member.lastActivityAt || activity > member.lastActivityAt)
          ? activity
          : member.lastActivityAt,
      updatedAt: new Date(),
    };
    this.save(updated);
    return { posted: true, member: updated };
  }

  /** The points the entries kept here hold for the order (what an order's entries sum to). */
  netOf(orderId: bigint): number {
    return this.entries.filter((e) => e.orderId === orderId).reduce((sum, e) => sum + e.points, 0);
  }

  /** The points all the orders' entries kept here hold (tier and goal bonuses aside). */
  orderPoints(): number {
    return this.entries.filter((e) => e.orderId !== null).reduce((sum, e) => sum + e.points, 0);
  }

  /** The detail of the entry kept here under `key`, as it will be stored. */
  detailOf(key: string): unknown {
    const entry = this.entries.find((e) => e.idempotencyKey === key);
    return entry?.detail ? JSON.parse(entry.detail) : undefined;
  }

  /** Takes over what another ledger kept (one customer's, once it is known to be complete). */
  absorb(other: PageLedger): void {
    for (const key of other.keys) {
      if (this.keys.has(key)) throw new Error(`ledger key ${key} posted twice in one page`);
      this.keys.add(key);
    }
    this.entries.push(...other.entries);
    this.events.push(...other.events);
    for (const [id, member] of other.members) this.members.set(id, member);
  }

  /** A change of the member row besides its points (held points, tier). */
  save(member: Member): void {
    this.members.set(member.id, member);
  }

  record<T extends LoyaltyEventType>(
    member: Member,
    type: T,
    payload: PayloadOf<T>,
    occurredAt?: Date,
  ): void {
    this.events.push({ member, type, payload, occurredAt: occurredAt ?? new Date() });
  }

  /** Everything kept, written: entries, member rows as they ended, events and their deliveries. */
  async write(tx: Prisma.TransactionClient, shopId: string): Promise<void> {
    const entries = this.entries;
    if (entries.length > 0) {
      await tx.$executeRaw`
        INSERT INTO "LedgerEntry" (id, "shopId", "memberId", points, kind, source, "idempotencyKey",
          "orderId", "balanceAfter", detail, "createdAt")
        SELECT e.id, ${shopId}::uuid, e."memberId", e.points, e.kind, e.source, e.key, e."orderId",
          e."balanceAfter", e.detail::jsonb, e.at::timestamp(3)
        FROM unnest(${entries.map((e) => e.id)}::uuid[], ${entries.map((e) => e.memberId)}::uuid[],
          ${entries.map((e) => e.points)}::integer[], ${entries.map((e) => e.kind)}::text[],
          ${entries.map((e) => e.source)}::text[], ${entries.map((e) => e.idempotencyKey)}::text[],
          ${entries.map((e) => e.orderId?.toString() ?? null)}::bigint[],
          ${entries.map((e) => e.balanceAfter)}::integer[], ${entries.map((e) => e.detail)}::text[],
          ${entries.map((e) => e.createdAt.toISOString())}::text[])
          AS e(id, "memberId", points, kind, source, key, "orderId", "balanceAfter", detail, at)`;
    }
    const members = [...this.members.values()];
    if (members.length > 0) {
      const iso = (dates: (Date | null)[]) => dates.map((d) => d?.toISOString() ?? null);
      await tx.$executeRaw`
        UPDATE "Member" AS m SET
          "pointsBalance" = u.balance, "lifetimeEarned" = u.earned, "lifetimeSpent" = u.spent,
          "pendingPoints" = u.pending, "lastActivityAt" = u.activity::timestamp(3),
          "profileSyncRequestedAt" = u.sync::timestamp(3), "tierId" = u.tier,
          "tierEnteredAt" = u.entered::timestamp(3), "tierPeriodEndsAt" = u.ends::timestamp(3),
          "tierLockedUntil" = u.locked::timestamp(3), "updatedAt" = u.updated::timestamp(3)
        FROM unnest(${members.map((m) => m.id)}::uuid[],
          ${members.map((m) => m.pointsBalance)}::integer[],
          ${members.map((m) => m.lifetimeEarned)}::integer[],
          ${members.map((m) => m.lifetimeSpent)}::integer[],
          ${members.map((m) => m.pendingPoints)}::integer[],
          ${iso(members.map((m) => m.lastActivityAt))}::text[],
          ${iso(members.map((m) => m.profileSyncRequestedAt))}::text[],
          ${members.map((m) => m.tierId)}::text[], ${iso(members.map((m) => m.tierEnteredAt))}::text[],
          ${iso(members.map((m) => m.tierPeriodEndsAt))}::text[],
          ${iso(members.map((m) => m.tierLockedUntil))}::text[],
          ${iso(members.map((m) => m.updatedAt))}::text[])
          AS u(id, balance, earned, spent, pending, activity, sync, tier, entered, ends, locked, updated)
        WHERE m.id = u.id`;
    }
    await recordEvents(tx, this.config, this.events);
  }
}
