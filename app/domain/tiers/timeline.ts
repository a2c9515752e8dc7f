/**
 * A member's VIP tier as a function of the facts (ADR 0054): the orders with their refunds and
 * cancellations, the program versions in force, and the last checkpoint (a manual assignment, an
 * import, the migration). The facts are replayed in the order they happened, whatever order they
 * arrived in, so every arrival order and batching ends in the same tier and dates.
 *
 * The replay, in fact time:
 * - an order paid at t: the tier the member held just before is the order's tier (its earning
 *   multiplier); then the highest tier whose entry bar is met at t is entered (upgrade);
 * - a refund or cancellation at T: a tier entered by spend in the current period (no review since)
 *   is undone when the spend now known does not support it: the period is redone from the state
 *   before that upgrade, with every refund known at T taken off its order. A tier the merchant
 *   assigned (or a lock) is never undone, and the restored tier is checked the same way;
 * - the merchant's assignment at A (admin, Flow, an import): the tier assigned, with its lock,
 *   a fresh period (as assignTierManually); an upward one is an entry (its bonus and reward are
 *   owed), and no refund undoes it. Facts dated before A replay before it whenever they arrive;
 * - a program version at P: members on a tier it no longer has are placed afresh, members who
 *   qualify for a higher tier go up at once, nobody goes down before their period ends;
 * - each period end R: the tier is kept (extended) when its maintain or entry bar is met at R,
 *   otherwise the member drops to the highest lower tier whose bar is met (not below a lock).
 * Spend at an instant is the goods of the orders paid in the 365 days up to it (as edited by
 * then), less what was given back by then (refunds, cancellation), each order never below zero.
 */
import { spendAt } from "./spend-at";
import { dropLapsedLock, stepper, type Recorder } from "./timeline-steps";
import {
  FACT_RANK,
  NO_TIER,
  type EntryEvent,
  type Fact,
  type ProgramPeriod,
  type Sim,
  type TierEntry,
  type Timeline,
  type TimelineChange,
  type TimelineInput,
} from "./timeline-types";
import type { TierMeasures } from "./measure";

export type {
  EntryEvent,
  OrderSpend,
  ProgramPeriod,
  TierChangeReason,
  TierAssignment,
  TierCheckpoint,
  TierEntry,
  Timeline,
  TimelineChange,
  TimelineInput,
} from "./timeline-types";
export { keptGoodsMinor, spendAt } from "./spend-at";

export function deriveTierTimeline(input: TimelineInput): Timeline {
  const { orders, now } = input;
  if (input.programs.length === 0) throw new RangeError("a timeline needs a program version");
  const start = input.checkpoint?.at.getTime() ?? -Infinity;
  const changes: TimelineChange[] = [];
  const tierAtOrder = new Map<string, string | null>();
  let program = programAt(input.programs, input.checkpoint?.at ?? null);
  let sim: Sim = { tier: input.checkpoint?.state ?? NO_TIER, origin: null, entries: [] };

  const facts: Fact[] = [];
  let previous = program;
  for (const p of input.programs) {
    if (p === program || !p.from || p.from.getTime() <= start) continue;
    // A version whose tiers did not change changes nobody's tier.
    if (!sameTierRules(previous, p)) facts.push({ kind: "program", at: p.from, program: p });
    previous = p;
  }
  for (const order of orders) {
    if (order.paidAt.getTime() > start) facts.push({ kind: "paid", at: order.paidAt, order });
    for (const refund of order.refunds) {
      if (refund.at.getTime() > start) {
        facts.push({ kind: "refund", at: refund.at, orderId: order.orderId });
      }
    }
    // An edit is dated at its own time: goods added can lift the tier then (as points do), goods
    // taken away can undo an upgrade they paid for (as a refund does).
    const edited = order.edited;
    if (edited && edited.at.getTime() > start && edited.at > order.paidAt) {
      if (edited.goodsMinor > order.goodsMinor) facts.push({ kind: "points", at: edited.at });
      else if (edited.goodsMinor < order.goodsMinor) {
        facts.push({ kind: "refund", at: edited.at, orderId: order.orderId });
      }
    }
    if (order.cancelledAt && order.cancelledAt.getTime() > start) {
      facts.push({ kind: "cancellation", at: order.cancelledAt, orderId: order.orderId });
    }
  }
  for (const assignment of input.assignments ?? []) {
    if (assignment.at.getTime() > start) {
      facts.push({ kind: "assignment", at: assignment.at, assignment });
    }
  }
  for (const at of input.pointsEarnedAt ?? []) {
    if (at.getTime() > start) facts.push({ kind: "points", at });
  }
  facts.sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() ||
      FACT_RANK[a.kind] - FACT_RANK[b.kind] ||
      factId(a).localeCompare(factId(b)),
  );

  const measuresAt = (
    at: Date,
    knownAt: Date,
    entries: readonly TierEntry[],
    throughOrder?: string,
  ): TierMeasures => ({
    spendMinor: spendAt(orders, at, knownAt, throughOrder),
    lifetimePoints:
      (input.lifetimePoints?.(at, knownAt, tierAtOrder) ?? 0) +
      entries
        .filter((entry) => entry.at.getTime() <= at.getTime())
        .reduce((sum, entry) => sum + entry.bonusPoints, 0),
  });
  const record: Recorder = (change, reason, at, previous, state) =>
    changes.push({ change, reason, at, previousTierId: previous, state });

  const steps = stepper(() => program, measuresAt);
  const entryHistory: EntryEvent[] = [];
  const noteEntries = (before: readonly TierEntry[], after: readonly TierEntry[], fact: Fact) => {
    const orderId =
      fact.kind === "paid" ? fact.order.orderId : "orderId" in fact ? fact.orderId : null;
    for (const entry of before) {
      if (!after.includes(entry))
        entryHistory.push({ kind: "undone", entry, at: fact.at, cause: fact.kind, orderId });
    }
    for (const entry of after) {
      if (!before.includes(entry))
        entryHistory.push({ kind: "entered", entry, at: fact.at, cause: fact.kind, orderId });
    }
  };
  for (const fact of facts) {
    const before = sim.entries;
    sim = steps.reviewUntil(sim, fact.at, null, record);
    if (fact.kind === "program") {
      program = fact.program;
      sim = steps.programChange(sim, fact.at, record);
    } else if (fact.kind === "paid") {
      tierAtOrder.set(fact.order.orderId, sim.tier.tierId);
      sim = steps.upgrade(sim, fact.at, fact.at, "spend", record, fact.order.orderId);
    } else if (fact.kind === "points") {
      sim = steps.upgrade(sim, fact.at, fact.at, "spend", record);
    } else if (fact.kind === "assignment") {
      sim = steps.assign(sim, fact.assignment, record);
    } else {
      sim = steps.undo(sim, fact.at, fact.kind, facts, record);
    }
    if (sim.entries !== before) noteEntries(before, sim.entries, fact);
  }
  sim = steps.reviewUntil(sim, now, null, record);
  const tier = dropLapsedLock(sim.tier, now);
  return { state: tier, changes, tierAtOrder, entries: sim.entries, entryHistory };
}

function factId(fact: Fact): string {
  if (fact.kind === "paid") return fact.order.orderId;
  if (fact.kind === "refund" || fact.kind === "cancellation") return fact.orderId;
  return "";
}

function sameTierRules(a: ProgramPeriod, b: ProgramPeriod): boolean {
  return a.periodDays === b.periodDays && JSON.stringify(a.rules) === JSON.stringify(b.rules);
}

/** The version in force at `at`: the newest that started by then (the first one before any). */
function programAt(programs: readonly ProgramPeriod[], at: Date | null): ProgramPeriod {
  let current = programs[0]!;
  if (at === null) return current;
  for (const p of programs) if (p.from === null || p.from.getTime() <= at.getTime()) current = p;
  return current;
}
