import { Prisma } from "@prisma/client";
import { z } from "zod";
import type { MemberTierState, TierAssignment, TierCheckpoint } from "~/domain/tiers";

/**
 * Member.tierCheckpoint (ADR 0054): where the member's tier replay starts, and the merchant's
 * tier assignments since.
 *
 * - The base: the state the migration to derived tiers left (or a manual assignment written
 *   before assignments were facts). The facts before its `at` are settled: they count in spend
 *   windows after it, but move no tier again. `enteredTierIds` are the tiers entered by then:
 *   their entry bonus and reward stand (a replay never takes them back, nor pays them again).
 * - The assignments (admin, Flow "Set VIP tier", an import): facts of the replay at their
 *   instant, so an order or refund dated before one replays before it whenever it arrives.
 */
const Instant = z.iso.datetime().transform((value) => new Date(value));
const BaseSchema = z.object({
  at: Instant,
  tierId: z.string().nullable(),
  enteredAt: Instant.nullable(),
  expiresAt: Instant.nullable(),
  lockedUntil: Instant.nullable(),
  lockedTierId: z.string().nullable().default(null),
  enteredTierIds: z.array(z.string()).default([]),
  reason: z.string().default("manual"),
});
const AssignmentSchema = z.object({
  at: Instant,
  tierId: z.string().nullable(),
  lockedUntil: Instant.nullable(),
  reason: z.enum(["manual", "import"]),
  floor: z.boolean().default(false),
});
const HistorySchema = z.object({
  base: BaseSchema.nullable(),
  assignments: z.array(AssignmentSchema),
});

export type StoredCheckpoint = TierCheckpoint & {
  readonly enteredTierIds: readonly string[];
  readonly reason: string;
};

/** A member's tier history as stored: the base the replay starts from, and the assignments. */
export type TierHistory = {
  readonly base: StoredCheckpoint | null;
  readonly assignments: readonly TierAssignment[];
};

export function readTierHistory(json: Prisma.JsonValue | null): TierHistory {
  if (json === null) return { base: null, assignments: [] };
  // A checkpoint written before assignments were facts is a base of its own.
  if (typeof json === "object" && !Array.isArray(json) && !("assignments" in json)) {
    return { base: baseOf(BaseSchema.parse(json)), assignments: [] };
  }
  const parsed = HistorySchema.parse(json);
  return {
    base: parsed.base && baseOf(parsed.base),
    assignments: parsed.assignments.map(({ floor, ...a }) => (floor ? { ...a, floor } : a)),
  };
}

function baseOf(parsed: z.infer<typeof BaseSchema>): StoredCheckpoint {
  const state: MemberTierState = {
    tierId: parsed.tierId,
    enteredAt: parsed.enteredAt,
    expiresAt: parsed.expiresAt,
    lockedUntil: parsed.lockedUntil,
    lockedTierId: parsed.lockedTierId,
  };
  return { at: parsed.at, state, enteredTierIds: parsed.enteredTierIds, reason: parsed.reason };
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

export function writeTierHistory(
  history: TierHistory,
): Prisma.InputJsonValue | typeof Prisma.DbNull {
  const { base, assignments } = history;
  if (!base && assignments.length === 0) return Prisma.DbNull;
  return {
    base: base && {
      at: base.at.toISOString(),
      tierId: base.state.tierId,
      enteredAt: iso(base.state.enteredAt),
      expiresAt: iso(base.state.expiresAt),
      lockedUntil: iso(base.state.lockedUntil),
      lockedTierId: base.state.lockedTierId ?? null,
      enteredTierIds: [...base.enteredTierIds],
      reason: base.reason,
    },
    assignments: assignments.map((a) => ({
      at: a.at.toISOString(),
      tierId: a.tierId,
      lockedUntil: iso(a.lockedUntil),
      reason: a.reason,
      ...(a.floor ? { floor: true } : {}),
    })),
  };
}
