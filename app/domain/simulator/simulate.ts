/**
 * The settings simulator: "a customer who spends X over these dates gets …", computed with the
 * engine's own rules over a draft (unsaved) program config. Pure: every rule is the domain function
 * the services call (earnForOrder, cumulativeClawback, evaluateTier, assessExpiry, deriveLots,
 * pendingReleaseDate); this file only replays one customer's orders in time order the way the
 * services apply them:
 * - paid order: earn with the multiplier of the tier held at that moment, then tier evaluation
 *   (upgrade at once, a period that has ended reviewed) with entry bonuses;
 * - daily run: at each shop-local midnight by which the tier period has ended, its review;
 * - refund: claw back to the order's target (clamped at the balance unless the program allows a
 *   negative balance), then tier evaluation;
 * - expiry: each lot (or the whole balance, for inactivity) expires at the instant the daily run
 *   would find it expired; reminders are not simulated.
 * An order is one line of `amountMinor` with no shipping, tax or discount; a refund returns money
 * without naming lines (an amount-only refund), as a merchant types it.
 * Store credit cashback is planned per order as the engine plans it (planCashback over the order's
 * earn snapshot and all its refunds): only the net credit is reported, as cashback has no tiers,
 * expiry of points or balance clamping that would make its timing matter here.
 */
import { z } from "zod";
import { formatIsoDate, localDate, startOfLocalDay, startOfNextLocalDay } from "../calendar";
import { cumulativeClawback, earnForOrder, type EarnSnapshot } from "../earning";
import { assessExpiry } from "../expiry";
import { deriveLots, type LedgerFact } from "../expiry/lots";
import { pendingReleaseDate } from "../pending";
import { cashbackForBasis, planCashback } from "../store-credit";
import type { ProgramConfig } from "../program";
import { evaluateTier, type MemberTierState, type SpendRecord, type TierChange } from "../tiers";

const MAX_MINOR = 100_000_000_00;
const EPOCH = new Date(0);

export const SimulationOrderSchema = z
  .strictObject({
    /** When the order was paid. */
    at: z.coerce.date(),
    amountMinor: z.int("amounts are whole minor units").positive().max(MAX_MINOR),
    refunds: z
      .array(
        z.strictObject({
          at: z.coerce.date(),
          amountMinor: z.int("amounts are whole minor units").positive().max(MAX_MINOR),
        }),
      )
      .max(10)
      .default([]),
  })
  .superRefine((order, ctx) => {
    let refunded = 0;
    order.refunds.forEach((refund, index) => {
      refunded += refund.amountMinor;
      if (refund.at.getTime() < order.at.getTime()) {
        ctx.addIssue({
          code: "custom",
          path: ["refunds", index, "at"],
          message: "A refund cannot come before its order",
        });
      }
    });
    if (refunded > order.amountMinor) {
      ctx.addIssue({
        code: "custom",
        path: ["refunds"],
        message: "Refunds cannot return more than the order's amount",
      });
    }
  });

export const SimulationInputSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, "a three-letter currency code"),
  timeZone: z.string().min(1),
  orders: z.array(SimulationOrderSchema).min(1, "Add at least one order").max(50),
  /** Expiry is applied up to this instant (default: the last order or refund). */
  until: z.coerce.date().optional(),
});
export type SimulationInput = z.input<typeof SimulationInputSchema>;

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

/** As the engine's SPEND_LOOKBACK_MS (services/tiers.server.ts): 365 days plus a day of slack. */
const SPEND_LOOKBACK_DAYS = 366;

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

  const steps: SimulationStep[] = [];
  const entries: LedgerFact[] = [];
  // Spend per order: like the engine's spendHistory, an order counts (with its refunds) only when
  // it was paid inside the window, so a refund of an older order never lowers today's spend.
  const spend: (SpendRecord & { paidAt: Date })[] = [];
  const paidAt: Date[] = [];
  const orders: OrderState[] = input.orders.map((_, index) => ({
    index,
    snapshot: null,
    net: 0,
    refunds: [],
  }));
  const bonusesPaid = new Set<string>();
  let tier: MemberTierState = { tierId: null, enteredAt: null, expiresAt: null, lockedUntil: null };
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

  const spendInWindow = (now: Date): SpendRecord[] => {
    // The engine reads orders paid since 366 days before the earlier of now and the period end.
    const until = Math.min(now.getTime(), tier.expiresAt?.getTime() ?? now.getTime());
    const since = until - SPEND_LOOKBACK_DAYS * 86_400_000;
    return spend
      .filter((record) => record.paidAt.getTime() >= since && record.at <= now)
      .map(({ at, minor }) => ({ at, minor }));
  };
  const reevaluate = (now: Date) => {
    if (config.tiers.length === 0 && tier.tierId === null) return;
    const evaluation = evaluateTier({
      state: tier,
      rules: config.tiers,
      metrics: {
        spend: spendInWindow(now),
        lifetimePoints: lifetimeEarned,
      },
      bonusGrantedTierIds: bonusesPaid,
      now,
      periodDays: config.tierRules.periodDays,
    });
    tier = evaluation.state;
    for (const change of evaluation.changes) {
      steps.push({
        kind: "tier_change",
        at: change.at,
        change: change.change,
        from: change.previousTierId,
        to: change.tierId,
      });
    }
    for (const bonus of evaluation.entryBonuses) {
      bonusesPaid.add(bonus.tierId);
      post("bonus", bonus.points, now, { tierId: bonus.tierId });
      steps.push({ kind: "tier_bonus", at: now, tierId: bonus.tierId, points: bonus.points });
    }
  };

  // The daily run (services/daily, jobs/workers/daily/daily.worker.ts) starts at each shop-local midnight and
  // reviews a tier whose period has ended by then; until it runs, the tier stands. So a period
  // ending at 10:00 is reviewed at the next midnight, with what is known at that instant.
  const reviewEndedPeriodsUntil = (instant: Date) => {
    for (let guard = 0; guard < 10_000 && tier.expiresAt; guard++) {
      const run = dailyRunReviewing(tier.expiresAt, timeZone);
      if (run.getTime() > instant.getTime()) return;
      const ended = tier.expiresAt.getTime();
      expireUntil(run);
      reevaluate(run);
      if (tier.expiresAt?.getTime() === ended) return;
    }
  };

  for (const happening of happenings) {
    reviewEndedPeriodsUntil(happening.at);
    expireUntil(happening.at);
    const order = orders[happening.order]!;
    const typed = input.orders[happening.order]!;
    if (happening.type === "paid") {
      const multiplier = config.tiers.find((t) => t.id === tier.tierId)?.earnMultiplier ?? 1;
      const earned = earnForOrder(
        singleLineOrder(input.currency, typed.amountMinor),
        config,
        multiplier,
      );
      order.snapshot = earned.snapshot;
      paidAt[happening.order] = happening.at;
      spend.push({ at: happening.at, minor: typed.amountMinor, paidAt: happening.at });
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
      spend.push({
        at: happening.at,
        minor: -happening.amountMinor,
        paidAt: paidAt[happening.order] ?? happening.at,
      });
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
          const taken = config.refunds.allowNegativeBalance
            ? wanted
            : Math.min(wanted, Math.max(balance, 0));
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
    reevaluate(happening.at);
  }
  reviewEndedPeriodsUntil(until);
  expireUntil(until);

  return {
    steps,
    orderPoints: orders.map((order) => order.net),
    balance,
    lifetimeEarned,
    expired,
    tierId: tier.tierId,
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

function singleLineOrder(currency: string, amountMinor: number) {
  return {
    currency,
    lines: [
      {
        lineItemId: "1",
        productId: null,
        collectionIds: [],
        quantity: 1,
        unitPriceMinor: amountMinor,
        discountMinor: 0,
        giftCard: false,
      },
    ],
    shippingMinor: 0,
    taxMinor: 0,
    orderLevelDiscountMinor: 0,
  };
}
