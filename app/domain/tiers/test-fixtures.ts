// Shared fixtures for the tier tests (not a test file itself).
import type { MemberTierState, SpendRecord, TierRule } from "./types";

export const DAY = 86_400_000;
export const NOW = new Date("2026-06-15T12:00:00Z");
export const at = (days: number, from: Date = NOW) => new Date(from.getTime() + days * DAY);
export const spend = (days: number, minor: number, from: Date = NOW): SpendRecord => ({
  at: at(days, from),
  minor,
});

// Spend tiers in cents: Silver $500 (keep with $400), Gold $1,000 (keep with $800), Platinum $2,500.
export const RULES: readonly TierRule[] = [
  {
    id: "silver",
    name: "Silver",
    threshold: { kind: "spend_365d", minor: 50_000 },
    maintainMinor: 40_000,
    earnMultiplier: 1,
    entryBonusPoints: 100,
  },
  {
    id: "gold",
    name: "Gold",
    threshold: { kind: "spend_365d", minor: 100_000 },
    maintainMinor: 80_000,
    earnMultiplier: 1.5,
    entryBonusPoints: 250,
  },
  {
    id: "platinum",
    name: "Platinum",
    threshold: { kind: "spend_365d", minor: 250_000 },
    earnMultiplier: 2,
    entryBonusPoints: 500,
  },
];

export const NO_TIER: MemberTierState = {
  tierId: null,
  enteredAt: null,
  expiresAt: null,
  lockedUntil: null,
};

/** A member who entered `tierId` at `enteredAt` and has a full period from then. */
export function holding(tierId: string, enteredAt: Date): MemberTierState {
  return {
    tierId,
    enteredAt,
    expiresAt: new Date(enteredAt.getTime() + 365 * DAY),
    lockedUntil: null,
  };
}
