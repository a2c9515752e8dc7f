/**
 * Input and output shapes of tier evaluation. They are structural on purpose: the program config
 * (zod) and the Member row map onto them without this folder importing either.
 */

/** What a member must reach to enter a tier. */
export type TierThreshold =
  /** net spend (integer minor units) in the rolling 365 days ending at the evaluation instant */
  | { readonly kind: "spend_365d"; readonly minor: number }
  /** lifetime earned points */
  | { readonly kind: "lifetime_points"; readonly points: number };

/**
 * One VIP tier. Tiers are ranked by their position in the list, lowest first.
 * `maintainMinor` (spend tiers) / `maintainPoints` (points tiers) is the lower bar to keep the
 * tier at the end of its period; without one, the entry threshold is the bar.
 */
export type TierRule = {
  readonly id: string;
  readonly name: string;
  readonly threshold: TierThreshold;
  readonly maintainMinor?: number;
  readonly maintainPoints?: number;
  readonly earnMultiplier: number;
  readonly entryBonusPoints: number;
};

/** One order's contribution to spend: positive for a paid order, negative for a refund. */
export type SpendRecord = { readonly at: Date; readonly minor: number };

export type TierMetrics = {
  readonly spend: readonly SpendRecord[];
  readonly lifetimePoints: number;
};

/** The tier columns of a member. */
export type MemberTierState = {
  readonly tierId: string | null;
  readonly enteredAt: Date | null;
  /** End of the current period: entry or last extension + 365 days (or the lock's end, if later). */
  readonly expiresAt: Date | null;
  /** Until this instant the member cannot drop below `lockedTierId` (set by a manual assignment). */
  readonly lockedUntil: Date | null;
  /** The floor the lock protects; when absent, the lock protects whatever tier the member holds. */
  readonly lockedTierId?: string | null;
};

/** The `change` values of the `tier.updated` event (docs/event-catalog.md). */
export type TierChangeKind =
  | "spending_upgrade"
  | "spending_extend"
  | "spending_downgrade"
  | "spending_assign"
  | "manual_assign";

/** One `tier.updated` event's worth of facts, in the order they happened. */
export type TierChange = {
  readonly change: TierChangeKind;
  readonly at: Date;
  readonly previousTierId: string | null;
  readonly tierId: string | null;
  readonly enteredAt: Date | null;
  readonly expiresAt: Date | null;
  readonly lockedUntil: Date | null;
};

/** An entry bonus the service should grant (idempotency key: `tierEntryBonusKey`). */
export type TierEntryBonus = { readonly tierId: string; readonly points: number };

export type TierEvaluation = {
  readonly state: MemberTierState;
  /** Chronological; empty when nothing changed. */
  readonly changes: readonly TierChange[];
  readonly entryBonuses: readonly TierEntryBonus[];
};
