/** Shapes for points expiry. Structural, so the program config and ledger rows map onto them. */
import type { LocalDate } from "../calendar";

/**
 * - none: points never expire.
 * - inactivity: all points expire `days` days after the member's last qualifying activity.
 * - per_lot: each earn lot expires `days` days after it was earned.
 * `reminderDaysBefore`: send `points.expiring` this many days before; 0 for no reminder.
 * (Same shape as the program config's `expiry` section, without depending on it.)
 */
export type ExpiryConfig =
  | { readonly kind: "none" }
  | {
      readonly kind: "inactivity" | "per_lot";
      readonly days: number;
      readonly reminderDaysBefore: number;
    };

/** One earn ledger entry and how much of it is still unspent. */
export type PointLot = {
  readonly lotId: string;
  readonly earnedAt: Date;
  readonly points: number;
  readonly remaining: number;
  /** Stamped on the earn entry when it was posted; wins over `earnedAt + days` (per_lot only). */
  readonly expiresAt?: Date | null;
};

export type LotAmount = { readonly lotId: string; readonly points: number };

/**
 * When points expire. `expiresOn` is the last local day the points can still be used (what a
 * shopper is told: "expire on 30 April"); `expiresAt` is the first instant they are gone, the start
 * of the next local day in the shop's time zone.
 */
export type ExpiryMoment = { readonly expiresOn: LocalDate; readonly expiresAt: Date };

export type UpcomingExpiry = ExpiryMoment & {
  readonly points: number;
  readonly lots: readonly LotAmount[];
};

/** A `points.expiring` reminder; `key` is stable so the service can send it exactly once. */
export type ExpiryReminder = {
  readonly key: string;
  readonly expiresOn: LocalDate;
  readonly points: number;
  readonly daysLeft: number;
};

export type ExpiryAssessment = {
  /** Points to expire now, per lot (one ledger debit each, key `expiryKey(lotId)`). */
  readonly expired: readonly LotAmount[];
  readonly expiredPoints: number;
  /** The next expiry after `expired` is applied (Klaviyo loyalty_points_expiry_date/_expiring). */
  readonly next: UpcomingExpiry | null;
  /** Reminders whose window includes today, soonest expiry first. */
  readonly reminders: readonly ExpiryReminder[];
};
