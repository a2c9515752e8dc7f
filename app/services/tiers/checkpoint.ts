import type { Prisma } from "@prisma/client";
import { z } from "zod";
import type { MemberTierState, TierCheckpoint } from "~/domain/tiers";

/**
 * Member.tierCheckpoint: where the member's tier replay starts (ADR 0054). Written by a manual
 * assignment (admin, Flow "Set VIP tier", an import) and by the migration to derived tiers; the
 * facts before `at` are settled: they count in spend windows after it, but move no tier again.
 * `enteredTierIds` are the tiers entered by then: their entry bonus and reward stand (a replay
 * never takes them back, nor pays them again).
 */
const Instant = z.iso.datetime().transform((value) => new Date(value));
const CheckpointSchema = z.object({
  at: Instant,
  tierId: z.string().nullable(),
  enteredAt: Instant.nullable(),
  expiresAt: Instant.nullable(),
  lockedUntil: Instant.nullable(),
  lockedTierId: z.string().nullable().default(null),
  enteredTierIds: z.array(z.string()).default([]),
  reason: z.string().default("manual"),
});

export type StoredCheckpoint = TierCheckpoint & {
  readonly enteredTierIds: readonly string[];
  readonly reason: string;
};

export function readCheckpoint(json: Prisma.JsonValue | null): StoredCheckpoint | null {
  if (json === null) return null;
  const parsed = CheckpointSchema.parse(json);
  const state: MemberTierState = {
    tierId: parsed.tierId,
    enteredAt: parsed.enteredAt,
    expiresAt: parsed.expiresAt,
    lockedUntil: parsed.lockedUntil,
    lockedTierId: parsed.lockedTierId,
  };
  return { at: parsed.at, state, enteredTierIds: parsed.enteredTierIds, reason: parsed.reason };
}

export function writeCheckpoint(checkpoint: StoredCheckpoint): Prisma.InputJsonValue {
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  const { state } = checkpoint;
  return {
    at: checkpoint.at.toISOString(),
    tierId: state.tierId,
    enteredAt: iso(state.enteredAt),
    expiresAt: iso(state.expiresAt),
    lockedUntil: iso(state.lockedUntil),
    lockedTierId: state.lockedTierId ?? null,
    enteredTierIds: [...checkpoint.enteredTierIds],
    reason: checkpoint.reason,
  };
}
