/**
 * Once-a-year moments: entering the birth month, the birthday itself and the join anniversary.
 *
 * Each has a window of local days in the shop's time zone. It is due on the window's first day
 * and stays due until the window's last day, so a day the scheduler missed is caught up; the year
 * key (with `lastGrantedYear`) makes it once per year. The service stores the key's year after
 * granting, and builds its idempotency key from it (`annualKey`).
 *
 * Capture rule (birthdays): a birthday saved on or after the window's first day is due the day
 * after it was saved — never the same day, so saving a birthday is not an instant reward, and the
 * daily job (not the request) sends it. Saved after the window's last day: next year.
 */
import {
  addDays,
  compareLocalDates,
  daysInMonth,
  localDate,
  sameDayInYear,
  type LocalDate,
} from "../calendar";
import { birthdayInYear, birthdayIssue, type Birthday } from "./birthday";

export type AnnualDue =
  | { readonly due: true; readonly year: number; readonly dueOn: LocalDate }
  | { readonly due: false };

/** How long a birthday or anniversary stays due if the daily job missed its day. */
export const CATCH_UP_DAYS = 7;

type Window = { readonly year: number; readonly start: LocalDate; readonly end: LocalDate };

const NOT_DUE: AnnualDue = { due: false };
const later = (a: LocalDate, b: LocalDate) => (compareLocalDates(a, b) >= 0 ? a : b);

function dueIn(
  window: Window,
  capturedOn: LocalDate | null,
  lastGrantedYear: number | null,
  today: LocalDate,
): AnnualDue {
  if (lastGrantedYear !== null && lastGrantedYear >= window.year) return NOT_DUE;
  if (capturedOn && compareLocalDates(capturedOn, window.end) > 0) return NOT_DUE;
  const capturedInside = capturedOn !== null && compareLocalDates(capturedOn, window.start) >= 0;
  const from = capturedInside ? addDays(capturedOn, 1) : window.start;
  const until = later(window.end, from);
  if (compareLocalDates(today, from) < 0 || compareLocalDates(today, until) > 0) return NOT_DUE;
  return { due: true, year: window.year, dueOn: from };
}

/** Checks last year's window too: a window may run past New Year (a Dec 31 capture). */
function firstDue(
  windowFor: (year: number) => Window | null,
  capturedAt: Date | null,
  lastGrantedYear: number | null,
  now: Date,
  timeZone: string,
): AnnualDue {
  const today = localDate(now, timeZone);
  const capturedOn = capturedAt ? localDate(capturedAt, timeZone) : null;
  for (const year of [today.year - 1, today.year]) {
    const window = windowFor(year);
    if (!window) continue;
    const result = dueIn(window, capturedOn, lastGrantedYear, today);
    if (result.due) return result;
  }
  return NOT_DUE;
}

function assertBirthday(birthday: Birthday): void {
  const issue = birthdayIssue(birthday);
  if (issue) throw new RangeError(`invalid birthday (${issue}): ${JSON.stringify(birthday)}`);
}

/**
 * `birth_month.entered`: due on the 1st of the birth month in the shop's time zone (the day after
 * capture if the birthday was saved during that month), once per year; the year key is the year
 * of that birth month.
 */
export function birthMonthEnteredDue(
  birthday: Birthday,
  capturedAt: Date | null,
  lastGrantedYear: number | null,
  now: Date,
  timeZone: string,
): AnnualDue {
  assertBirthday(birthday);
  const window = (year: number): Window => ({
    year,
    start: { year, month: birthday.month, day: 1 },
    end: { year, month: birthday.month, day: daysInMonth(year, birthday.month) },
  });
  return firstDue(window, capturedAt, lastGrantedYear, now, timeZone);
}

/**
 * A birthday-day reward: due on the birthday itself (Feb 29 → Feb 28 in non-leap years), with
 * `CATCH_UP_DAYS` of grace and the same capture rule.
 */
export function birthdayDue(
  birthday: Birthday,
  capturedAt: Date | null,
  lastGrantedYear: number | null,
  now: Date,
  timeZone: string,
): AnnualDue {
  assertBirthday(birthday);
  const window = (year: number): Window => {
    const start = birthdayInYear(birthday, year);
    return { year, start, end: addDays(start, CATCH_UP_DAYS - 1) };
  };
  return firstDue(window, capturedAt, lastGrantedYear, now, timeZone);
}

/**
 * Membership anniversary: yearly on the local date the member joined, from the first anniversary
 * on. A Feb 29 join is celebrated on Feb 28 in non-leap years (still in February, and before
 * the member's "real" day rather than after it). `CATCH_UP_DAYS` of grace.
 */
export function anniversaryDue(
  joinedAt: Date,
  lastGrantedYear: number | null,
  now: Date,
  timeZone: string,
): AnnualDue {
  const joined = localDate(joinedAt, timeZone);
  const window = (year: number): Window | null => {
    if (year <= joined.year) return null;
    const start = sameDayInYear(joined.month, joined.day, year);
    return { year, start, end: addDays(start, CATCH_UP_DAYS - 1) };
  };
  return firstDue(window, null, lastGrantedYear, now, timeZone);
}

/**
 * Idempotency key for a yearly grant, e.g. `birth_month:<member>:2026` — the ledger's unique
 * index then pays at most once per member and year even if two workers race.
 */
export function annualKey(
  kind: "birth_month" | "birthday" | "anniversary",
  memberId: string,
  year: number,
): string {
  return `${kind}:${memberId}:${year}`;
}
