// The tier replay's shapes (ADR 0054): its facts, its input and output, and its running state.
import type { MemberTierState, TierChangeKind, TierRule } from "./types";

/** One order as tier spend sees it: goods bought, and given back over time. */
export type OrderSpend = {
  readonly orderId: string;
  readonly paidAt: Date;
  /** Goods after discounts, gift cards excluded (app/domain/earning goodsSpendMinor). */
  readonly goodsMinor: number;
  /** Goods given back, each at its refund's instant (never more than the order in total). */
  readonly refunds: readonly { readonly at: Date; readonly goodsMinor: number }[];
  readonly cancelledAt: Date | null;
  /**
   * An edit after payment that changed the goods: from `at` on the order counts `goodsMinor`
   * instead (refunds still come off). Absent when the order was not edited or its paid goods are
   * unknown (an order from the history import).
   */
  readonly edited?: { readonly at: Date; readonly goodsMinor: number } | null;
};

/** The tier rules in force from `from` (a program version); the first may have no start. */
export type ProgramPeriod = {
  readonly from: Date | null;
  readonly rules: readonly TierRule[];
  readonly periodDays: number;
};

/** Why a tier changed: what the merchant reads next to the change (tier.updated `reason`). */
export type TierChangeReason =
  "spend" | "period_end" | "refund" | "cancellation" | "program_change" | "manual" | "import";

/**
 * The merchant's tier assignment (admin, Flow "Set VIP tier", an import) at its instant: a fact
 * like the others, replayed after every fact dated before it whatever order they arrived in. A
 * `floor` (an assignment a merged customer brought) only ever lifts the tier.
 */
export type TierAssignment = {
  readonly at: Date;
  readonly tierId: string | null;
  readonly lockedUntil: Date | null;
  readonly reason: "manual" | "import";
  readonly floor?: boolean;
};

/** A tier entered upward: its entry bonus and reward are owed while it stands. */
export type TierEntry = {
  readonly tierId: string;
  readonly at: Date;
  readonly bonusPoints: number;
};

/** An entry starting or ceasing to stand, at the fact that did it (bonuses follow these). */
export type EntryEvent = {
  readonly kind: "entered" | "undone";
  readonly entry: TierEntry;
  readonly at: Date;
  /** The fact that did it, and its order (none for a program version or points). */
  readonly cause: "paid" | "points" | "refund" | "cancellation" | "program" | "assignment";
  readonly orderId: string | null;
};

/** Where the replay starts: the state a manual assignment, import or migration left. */
export type TierCheckpoint = {
  readonly at: Date;
  readonly state: MemberTierState;
};

export type TimelineChange = {
  readonly change: TierChangeKind;
  readonly reason: TierChangeReason;
  readonly at: Date;
  readonly previousTierId: string | null;
  readonly state: MemberTierState;
};

export type TimelineInput = {
  readonly checkpoint: TierCheckpoint | null;
  /** The merchant's assignments after the checkpoint (ADR 0054), any order. */
  readonly assignments?: readonly TierAssignment[];
  readonly orders: readonly OrderSpend[];
  /** Program versions, oldest first; at least one. */
  readonly programs: readonly ProgramPeriod[];
  readonly now: Date;
  /**
   * Lifetime points at `at` with what was known at `knownAt` (for points thresholds): the
   * caller values the orders with the tiers the replay gave them. Spend tiers do not need it.
   */
  readonly lifetimePoints?: (
    at: Date,
    knownAt: Date,
    tierAtOrder: ReadonlyMap<string, string | null>,
  ) => number;
  /** Instants of points earned outside orders (points thresholds are checked there too). */
  readonly pointsEarnedAt?: readonly Date[];
};

export type Timeline = {
  readonly state: MemberTierState;
  /** Every change since the checkpoint, in fact time (a refund's undo at the refund's instant). */
  readonly changes: readonly TimelineChange[];
  /** The tier each order was paid in (before it counted): its earning multiplier's tier. */
  readonly tierAtOrder: ReadonlyMap<string, string | null>;
  /** Tiers entered upward since the checkpoint that still stand (not undone by a refund). */
  readonly entries: readonly TierEntry[];
  /** How the standing entries came about, in fact time: entered, and undone by a refund. */
  readonly entryHistory: readonly EntryEvent[];
};

/** The replay's state: the tier, how its period began, and the entries that stand. */
export type Sim = {
  readonly tier: MemberTierState;
  /** The period began with a spend upgrade at `at`, from `before`: a refund may undo it. */
  readonly origin: { readonly at: Date; readonly before: Sim } | null;
  readonly entries: readonly TierEntry[];
};

export const NO_TIER: MemberTierState = {
  tierId: null,
  enteredAt: null,
  expiresAt: null,
  lockedUntil: null,
  lockedTierId: null,
};

export type Fact =
  | { kind: "program"; at: Date; program: ProgramPeriod }
  | { kind: "paid"; at: Date; order: OrderSpend }
  | { kind: "points"; at: Date }
  | { kind: "refund" | "cancellation"; at: Date; orderId: string }
  | { kind: "assignment"; at: Date; assignment: TierAssignment };

export const FACT_RANK: Record<Fact["kind"], number> = {
  program: 0,
  paid: 1,
  points: 2,
  refund: 3,
  cancellation: 4,
  // The merchant decides with every fact of the same instant known.
  assignment: 5,
};
