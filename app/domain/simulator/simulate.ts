/**
 * The settings simulator: "a customer who spends X over these dates gets …", computed with the
 * engine's own rules over a draft (unsaved) program config. Pure: every rule is the domain function
 * the services call (earnForOrder, cumulativeClawback, deriveTierTimeline, assessExpiry,
 * deriveLots, pendingReleaseDate); this file only replays one customer's orders in time order the
 * way the services apply them:
 * - the tier is the engine's replay of the orders (ADR 0054): upgrades when an order is paid,
 *   reviews at period ends, an upgrade a refund took the spend from undone;
 * - paid order: earn with the multiplier of the tier the order was paid in;
 * - refund: claw back to the order's target (clamped at the balance unless the program allows a
 *   negative balance);
 * - a tier entered pays its entry bonus, and an entry a refund undid takes it back (clamped);
 * - goals (issue #23): after each instant's facts, what the orders known then owe each goal
 *   (goalsOwed, as reconcileGoals) is paid, or taken back (clamped) when a refund undid it;
 * - expiry: each lot (or the whole balance, for inactivity) expires at the instant the daily run
 *   would find it expired; reminders are not simulated.
 * An order is one line of `amountMinor` with no shipping, tax or discount; a refund returns money
 * without naming lines (an amount-only refund), as a merchant types it.
 * Store credit cashback is planned per order as the engine plans it (planCashback over the order's
 * earn snapshot and all its refunds): only the net credit is reported, as cashback has no tiers,
 * expiry of points or balance clamping that would make its timing matter here.
 */
import { formatIsoDate, localDate, startOfLocalDay, startOfNextLocalDay } from "../calendar";
import { cumulativeClawback, earnForOrder, type EarnSnapshot } from "../earning";
import { assessExpiry } from "../expiry";
import { goalsOwed } from "../goals";
import { deriveLots, type LedgerFact } from "../expiry/lots";
import { pendingReleaseDate } from "../pending";
import { cashbackForBasis, planCashback } from "../store-credit";
import type { ProgramConfig } from "../program";
import { earnMultiplierFor, type EntryEvent, type TierChange } from "../tiers";
import { SimulationInputSchema, type SimulationInput } from "./input";
import { goalChanges, orderFacts, singleLineOrder, tierTimeline } from "./tiers";

export { SimulationInputSchema, SimulationOrderSchema, type SimulationInput } from "./input";

const EPOCH = new Date(0);

export type SimulationStep =
  | {
      kind: "earn";
      at: Date;
      order: number;
      points: number;
      multiplier: number;
      /** Shop-local day the points become spendable (pending period), or null. */
      releaseOn: string | null;
    }
  | { kind: "clawback"; at: Date; order: number; points: number; shortfall: number }
  | { kind: "tier_bonus"; at: Date; tierId: string; points: number }
  | { kind: "tier_bonus_returned"; at: Date; tierId: string; points: number }
  /** A goal reached by order `order` (input index) pays its bonus. */
  | { kind: "goal_bonus"; at: Date; goalId: string; order: number; points: number }
  /** A refund undid the goal: its bonus is taken back (clamped at the balance). */
  | { kind: "goal_bonus_returned"; at: Date; goalId: string; points: number }
  | {
      kind: "tier_change";
      at: Date;
      change: TierChange["change"];
      from: string | null;
      to: string | null;
    }
  | { kind: "expiry"; at: Date; points: number };

export interface SimulationResult {
  /** Chronological, as the ledger and tier events would show them. */
  steps: SimulationStep[];
  /** Net points each order holds at the end (earn minus clawbacks), by input index. */
  orderPoints: number[];
  balance: number;
  lifetimeEarned: number;
  expired: number;
  tierId: string | null;
  /** Net store credit cashback (credits minus refund debits), shop currency minor units. */
  storeCreditMinor: number;
  /** Shop-local date the final figures are as of. */
  asOf: string;
}

interface OrderState {
  index: number;
  snapshot: EarnSnapshot | null;
  net: number;
  refunds: { refundId: string; lines: []; amountMinor: number }[];
}

type Happening =
  | { type: "paid"; at: Date; order: number }
  | { type: "refund"; at: Date; order: number; amountMinor: number; seq: number };

export function simulateProgram(config: ProgramConfig, raw: SimulationInput): SimulationResult {
  const input = SimulationInputSchema.parse(raw);
  const { timeZone } = input;
  const happenings: Happening[] = [];
  input.orders.forEach((order, index) => {
    happenings.push({ type: "paid", at: order.at, order: index });
    order.refunds.forEach((refund, seq) =>
      happenings.push({
        type: "refund",
        at: refund.at,
        order: index,
        amountMinor: refund.amountMinor,
        seq,
      }),
    );
  });
  // Time order; at the same instant a payment before its refunds, refunds in the order typed.
  happenings.sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() ||
      (a.type === b.type
        ? a.type === "refund" && b.type === "refund"
          ? a.seq - b.seq
          : a.order - b.order
        : a.type === "paid"
          ? -1
          : 1),
  );
  const last = happenings[happenings.length - 1]!.at;
  const until = input.until && input.until > last ? input.until : last;

  // Goal bonuses count in lifetime points (a points tier may be reached with one).
  const facts = orderFacts(input);
  const instants = happenings
    .map((happening) => happening.at)
    .filter((at, i, all) => all[i + 1]?.getTime() !== at.getTime());
  const timeline = tierTimeline(config, input, until, goalChanges(config, facts, instants));
  const steps: SimulationStep[] = timeline.changes.map((change) => ({
    kind: "tier_change" as const,
    at: change.at,
    change: change.change,
    from: change.previousTierId,
    to: change.state.tierId,
  }));
  const entries: LedgerFact[] = [];
  const orders: OrderState[] = input.orders.map((_, index) => ({
    index,
    snapshot: null,
    net: 0,
    refunds: [],
  }));
  let balance = 0;
  let lifetimeEarned = 0;
  let expired = 0;
  let lastActivityAt: Date | null = null;
  let seq = 0;

  const post = (kind: string, points: number, at: Date, detail?: unknown) => {
    entries.push({ id: `e${String(seq++).padStart(6, "0")}`, kind, points, createdAt: at, detail });
    balance += points;
    if (kind !== "expiry") lifetimeEarned += points;
    if (kind === "earn" || kind === "bonus") lastActivityAt = at;
  };
  const takeBack = (wanted: number) =>
    config.refunds.allowNegativeBalance ? wanted : Math.min(wanted, Math.max(balance, 0));

  const expireUntil = (end: Date) => {
    if (config.expiry.kind === "none") return;
    for (let guard = 0; guard < 10_000; guard++) {
      const lots = deriveLots(entries).lots;
      // Assessed at the epoch nothing has expired yet, so `next` is the earliest expiry moment.
      const ahead = assessExpiry({
        lots,
        lastActivityAt,
        config: config.expiry,
        now: EPOCH,
        timeZone,
      });
      const next = ahead.next?.expiresAt ?? null;
      if (next === null || next.getTime() > end.getTime()) return;
      const due = assessExpiry({
        lots,
        lastActivityAt,
        config: config.expiry,
        now: next,
        timeZone,
      });
      let points = 0;
      for (const lot of due.expired) {
        const take = Math.min(lot.points, Math.max(balance, 0));
        if (take === 0) continue;
        post("expiry", -take, next, { lotId: lot.lotId });
        points += take;
      }
      if (points > 0) {
        expired += points;
        steps.push({ kind: "expiry", at: next, points });
      } else if (due.expired.length > 0) {
        return;
      }
    }
  };

  // A tier's bonus is owed while any entry of it stands (the engine's reconcileEntryRewards):
  // paid when the first stands, taken back when the last is undone, never paid twice for
  // entering the same tier again after a review moved the member down.
  const standingEntries = new Map<string, number>();
  const bonusPaid = new Set<string>();
  const entryChange = (event: EntryEvent) => {
    const { tierId, bonusPoints } = event.entry;
    if (bonusPoints === 0) return;
    const standing = standingEntries.get(tierId) ?? 0;
    if (event.kind === "entered") {
      standingEntries.set(tierId, standing + 1);
      if (standing > 0 || bonusPaid.has(tierId)) return;
      bonusPaid.add(tierId);
      post("bonus", bonusPoints, event.at, { tierId });
      steps.push({ kind: "tier_bonus", at: event.at, tierId, points: bonusPoints });
      return;
    }
    standingEntries.set(tierId, Math.max(0, standing - 1));
    if (standing > 1 || !bonusPaid.has(tierId)) return;
    bonusPaid.delete(tierId);
    const taken = takeBack(bonusPoints);
    if (taken > 0) post("clawback", -taken, event.at, { tierId });
    steps.push({ kind: "tier_bonus_returned", at: event.at, tierId, points: taken });
  };

  // The engine settles an entry's bonus after the order points of the same fact.
  let nextEntry = 0;
  const settleEntriesUntil = (at: Date, inclusive: boolean) => {
    const history = timeline.entryHistory;
    while (nextEntry < history.length) {
      const event = history[nextEntry]!;
      const t = event.at.getTime();
      if (t > at.getTime() || (!inclusive && t === at.getTime())) return;
      expireUntil(event.at);
      entryChange(event);
      nextEntry += 1;
    }
  };

  // Goals follow the facts known after each instant, as the engine reconciles them after each
  // order fact: the difference between what they owe and what is held is posted.
  const goalHeld = new Map<string, number>();
  const settleGoals = (at: Date) => {
    for (const owed of goalsOwed(config.goals, facts, at)) {
      const held = goalHeld.get(owed.goalId) ?? 0;
      const delta = owed.points - held;
      if (delta > 0) {
        post("bonus", delta, at, { goalId: owed.goalId });
        goalHeld.set(owed.goalId, held + delta);
        const order = Number(owed.reachedBy);
        steps.push({ kind: "goal_bonus", at, goalId: owed.goalId, order, points: delta });
      } else if (delta < 0) {
        const taken = takeBack(-delta);
        if (taken === 0) continue;
        post("clawback", -taken, at, { goalId: owed.goalId });
        goalHeld.set(owed.goalId, held - taken);
        steps.push({ kind: "goal_bonus_returned", at, goalId: owed.goalId, points: taken });
      }
    }
  };

  for (let i = 0; i < happenings.length; i++) {
    const happening = happenings[i]!;
    settleEntriesUntil(happening.at, false);
    expireUntil(happening.at);
    const order = orders[happening.order]!;
    const typed = input.orders[happening.order]!;
    if (happening.type === "paid") {
      const tierId = timeline.tierAtOrder.get(String(happening.order)) ?? null;
      const multiplier = earnMultiplierFor(config.tiers, tierId);
      const earned = earnForOrder(
        singleLineOrder(input.currency, typed.amountMinor),
        config,
        multiplier,
      );
      order.snapshot = earned.snapshot;
      if (earned.points > 0) {
        post("earn", earned.points, happening.at);
        order.net = earned.points;
        steps.push({
          kind: "earn",
          at: happening.at,
          order: happening.order,
          points: earned.points,
          multiplier,
          releaseOn: pendingReleaseDate(localDate(happening.at, timeZone), config.pending.days),
        });
      }
    } else {
      order.refunds.push({
        refundId: String(order.refunds.length + 1),
        lines: [],
        amountMinor: happening.amountMinor,
      });
      const snapshot = order.snapshot;
      if (snapshot && snapshot.points > 0) {
        const target = Math.max(0, snapshot.points - cumulativeClawback(snapshot, order.refunds));
        const wanted = order.net - target;
        if (wanted > 0) {
          const taken = takeBack(wanted);
          if (taken > 0) post("clawback", -taken, happening.at);
          order.net -= taken;
          steps.push({
            kind: "clawback",
            at: happening.at,
            order: happening.order,
            points: taken,
            shortfall: wanted - taken,
          });
        }
      }
    }
    // Entries of this instant follow its last fact (a payment and its refunds at one instant).
    if (happenings[i + 1]?.at.getTime() !== happening.at.getTime()) {
      settleEntriesUntil(happening.at, true);
      settleGoals(happening.at);
    }
  }
  settleEntriesUntil(until, true);
  expireUntil(until);
  // Chronological; at one instant the order's points, then the tier, then its bonus (as posted).
  const rank = (step: SimulationStep) =>
    step.kind === "tier_change"
      ? 1
      : step.kind === "tier_bonus" || step.kind === "tier_bonus_returned"
        ? 2
        : step.kind === "goal_bonus" || step.kind === "goal_bonus_returned"
          ? 3
          : 0;
  steps.sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a) - rank(b));

  return {
    steps,
    orderPoints: orders.map((order) => order.net),
    balance,
    lifetimeEarned,
    expired,
    tierId: timeline.state.tierId,
    storeCreditMinor: orders.reduce((sum, order) => sum + netCashback(config, order), 0),
    asOf: formatIsoDate(localDate(until, timeZone)),
  };
}

function netCashback(config: ProgramConfig, order: OrderState): number {
  const snapshot = order.snapshot;
  if (!snapshot) return 0;
  const planned = planCashback(
    {
      orderId: String(order.index),
      offer: { snapshot, amountMinor: cashbackForBasis(snapshot.basisMinor, config.storeCredit) },
      existing: [],
      refunds: order.refunds,
      cancelled: false,
    },
    null,
  );
  return planned.reduce(
    (sum, tx) => sum + (tx.kind === "credit" ? tx.amountMinor : -tx.amountMinor),
    0,
  );
}

/** The first daily run at or after `periodEnd`: that local midnight, or the next one. */
export function dailyRunReviewing(periodEnd: Date, timeZone: string): Date {
  const midnight = startOfLocalDay(periodEnd, timeZone);
  return midnight.getTime() === periodEnd.getTime()
    ? midnight
    : startOfNextLocalDay(periodEnd, timeZone);
}
