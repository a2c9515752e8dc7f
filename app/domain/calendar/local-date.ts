/**
 * Calendar dates without a time or a zone ("2026-02-28"), and the arithmetic on them.
 *
 * Day arithmetic is done on whole days since 1970-01-01 (an "epoch day"), never on instants, so a
 * DST change can never make a day 23 or 25 hours long here. Converting between an instant and a
 * local date is the job of `time-zone.ts`.
 */

/** A day in the proleptic Gregorian calendar; `month` is 1–12 and `day` is 1–31. */
export type LocalDate = { readonly year: number; readonly month: number; readonly day: number };

const DAY_MS = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in `month` (1–12) of `year`; February has 29 in leap years. */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`month must be an integer 1–12, got ${month}`);
  }
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
}

export function isValidLocalDate(date: LocalDate): boolean {
  const { year, month, day } = date;
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

function assertValid(date: LocalDate): void {
  if (!isValidLocalDate(date)) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  }
}

/** Whole days since 1970-01-01 (negative before). */
export function toEpochDay(date: LocalDate): number {
  assertValid(date);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const utc = new Date(0);
  utc.setUTCFullYear(date.year, date.month - 1, date.day);
  return Math.round(utc.getTime() / DAY_MS);
}

export function fromEpochDay(epochDay: number): LocalDate {
  if (!Number.isInteger(epochDay))
    throw new RangeError(`epoch day must be an integer: ${epochDay}`);
  const utc = new Date(epochDay * DAY_MS);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

/** The date `days` calendar days after (or before, if negative) `date`. */
export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer: ${days}`);
  return fromEpochDay(toEpochDay(date) + days);
}

/** Calendar days from `from` to `to`: positive when `to` is later, 0 on the same day. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** Negative, zero or positive like a sort comparator. */
export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return daysBetween(b, a);
}

export function sameLocalDate(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/**
 * The same month and day in another year. A Feb 29 becomes Feb 28 when `year` is not a leap year
 * (the convention used for birthdays and join-date anniversaries).
 */
export function sameDayInYear(month: number, day: number, year: number): LocalDate {
  return { year, month, day: Math.min(day, daysInMonth(year, month)) };
}

/** ISO 8601 calendar date, e.g. "2026-02-28" (the shape Klaviyo date properties expect). */
export function formatIsoDate(date: LocalDate): string {
  assertValid(date);
  const year = String(date.year).padStart(4, "0");
  return `${year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

/** Parses "YYYY-MM-DD"; returns null for anything else, including dates that do not exist. */
export function parseIsoDate(text: string): LocalDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isValidLocalDate(date) ? date : null;
}
