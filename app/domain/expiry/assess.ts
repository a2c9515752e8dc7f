/**
 * Which points expire now, what expires next and which reminders are due — for the daily expiry
 * job and for the Klaviyo properties loyalty_points_expiry_date / loyalty_points_expiring.
 *
 * Days are the shop's calendar days: points "expire N days after" the local day they were earned
 * (or of the last activity) and can be used through the end of that later day; they are gone from
 * the start of the next local day. A reminder is due from `reminderDaysBefore` days before that last day
 * through the last day itself, so a missed daily run still sends it; its key makes it once-only.
 */
import {
  addDays,
  daysBetween,
  formatIsoDate,
  localDate,
  startOfNextLocalDay,
  type LocalDate,
} from "../calendar";
import { assertLots } from "./fifo";
import type {
  ExpiryAssessment,
  ExpiryConfig,
  ExpiryMoment,
  ExpiryReminder,
  LotAmount,
  PointLot,
  UpcomingExpiry,
} from "./types";

/** When points dated `from` expire after `days` days. */
export function expiryAfter(from: Date, days: number, timeZone: string): ExpiryMoment {
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new RangeError(`expiry days must be a non-negative integer, got ${days}`);
  }
  const expiresOn = addDays(localDate(from, timeZone), days);
  return { expiresOn, expiresAt: startOfNextLocalDay(expiresOn, timeZone) };
}

/** When a lot expires under `per_lot`: its stamped instant if any, else earned day + `days`. */
export function lotExpiry(lot: PointLot, days: number, timeZone: string): ExpiryMoment {
  if (lot.expiresAt) {
    // The last usable day is the one containing the instant just before it is gone.
    const lastMoment = new Date(lot.expiresAt.getTime() - 1);
    return { expiresOn: localDate(lastMoment, timeZone), expiresAt: lot.expiresAt };
  }
  return expiryAfter(lot.earnedAt, days, timeZone);
}

/** Idempotency key for the ledger debit that expires (what is left of) a lot; a lot expires once. */
export function expiryKey(lotId: string): string {
  return `expire:${lotId}`;
}

export type AssessExpiryInput = {
  readonly lots: readonly PointLot[];
  /** Last qualifying activity (inactivity mode); null falls back to the newest lot's earn date. */
  readonly lastActivityAt: Date | null;
  readonly config: ExpiryConfig;
  readonly now: Date;
  readonly timeZone: string;
};

const NOTHING: ExpiryAssessment = { expired: [], expiredPoints: 0, next: null, reminders: [] };

type Group = UpcomingExpiry & { readonly key: string };

function amounts(lots: readonly PointLot[]): LotAmount[] {
  return lots
    .filter((lot) => lot.remaining > 0)
    .map((l) => ({ lotId: l.lotId, points: l.remaining }));
}
const total = (items: readonly LotAmount[]) => items.reduce((sum, item) => sum + item.points, 0);

function remindersFor(groups: readonly Group[], config: ExpiryConfig, today: LocalDate) {
  const lead = config.kind === "none" ? 0 : config.reminderDaysBefore;
  if (lead <= 0) return [];
  const reminders: ExpiryReminder[] = [];
  for (const group of groups) {
    const daysLeft = daysBetween(today, group.expiresOn);
    if (daysLeft < 0 || daysLeft > lead) continue;
    reminders.push({ key: group.key, expiresOn: group.expiresOn, points: group.points, daysLeft });
  }
  return reminders;
}

function assessInactivity(input: AssessExpiryInput, days: number, today: LocalDate) {
  const { lots, now, timeZone } = input;
  const newest = lots.reduce<Date | null>(
    (latest, lot) => (latest === null || lot.earnedAt > latest ? lot.earnedAt : latest),
    null,
  );
  const anchor = input.lastActivityAt ?? newest;
  const open = amounts(lots);
  if (anchor === null || open.length === 0) return NOTHING;
  const moment = expiryAfter(anchor, days, timeZone);
  if (moment.expiresAt.getTime() <= now.getTime()) {
    return { expired: open, expiredPoints: total(open), next: null, reminders: [] };
  }
  const key = `expiring:activity:${formatIsoDate(localDate(anchor, timeZone))}:${formatIsoDate(moment.expiresOn)}`;
  const group: Group = { ...moment, points: total(open), lots: open, key };
  return {
    expired: [],
    expiredPoints: 0,
    next: { ...moment, points: group.points, lots: open },
    reminders: remindersFor([group], input.config, today),
  };
}

function assessPerLot(input: AssessExpiryInput, days: number, today: LocalDate) {
  const { now, timeZone } = input;
  const expired: LotAmount[] = [];
  const groups = new Map<string, Group>();
  const dated = input.lots
    .filter((lot) => lot.remaining > 0)
    .map((lot) => ({ lot, moment: lotExpiry(lot, days, timeZone) }))
    .sort((a, b) => a.moment.expiresAt.getTime() - b.moment.expiresAt.getTime());
  for (const { lot, moment } of dated) {
    const amount = { lotId: lot.lotId, points: lot.remaining };
    if (moment.expiresAt.getTime() <= now.getTime()) {
      expired.push(amount);
      continue;
    }
    // Lots ending on the same local day share one reminder: one email, not one per order.
    const day = formatIsoDate(moment.expiresOn);
    const group = groups.get(day);
    groups.set(
      day,
      group
        ? { ...group, points: group.points + amount.points, lots: [...group.lots, amount] }
        : { ...moment, points: amount.points, lots: [amount], key: `expiring:lots:${day}` },
    );
  }
  const ordered = [...groups.values()];
  const first = ordered[0];
  return {
    expired,
    expiredPoints: total(expired),
    next: first
      ? {
          expiresOn: first.expiresOn,
          expiresAt: first.expiresAt,
          points: first.points,
          lots: first.lots,
        }
      : null,
    reminders: remindersFor(ordered, input.config, today),
  };
}

export function assessExpiry(input: AssessExpiryInput): ExpiryAssessment {
  const { config, now, timeZone } = input;
  assertLots(input.lots);
  if (config.kind === "none") return NOTHING;
  const today = localDate(now, timeZone);
  return config.kind === "inactivity"
    ? assessInactivity(input, config.days, today)
    : assessPerLot(input, config.days, today);
}
