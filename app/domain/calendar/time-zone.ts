/**
 * Instants ↔ local dates in a shop's IANA time zone, using the built-in `Intl` time zone data
 * (no library, no I/O). Every scheduled rule in the program (expiry days, birth months,
 * anniversaries) is about the shop's calendar day, not the UTC one: 2026-03-01T03:00Z is still
 * Feb 28 in New York.
 */
import { addDays, toEpochDay, type LocalDate } from "./local-date";

const DAY_MS = 86_400_000;

type WallClock = LocalDate & { hour: number; minute: number; second: number };

// One formatter per zone: constructing Intl.DateTimeFormat is far slower than formatting, and a
// daily job formats for every member. Only zones that constructed successfully are cached.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      // h23, not hour12:false: some ICU versions print midnight as "24" with the latter.
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA zone name this runtime knows (e.g. "Asia/Kolkata"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function assertInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid Date");
  return ms;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? NaN,
    month: fields.month ?? NaN,
    day: fields.day ?? NaN,
    hour: (fields.hour ?? NaN) % 24,
    minute: fields.minute ?? NaN,
    second: fields.second ?? NaN,
  };
}

/** How far the zone's wall clock is ahead of UTC at `ms` (negative west of Greenwich). */
function offsetMs(ms: number, timeZone: string): number {
  const wall = wallClock(ms, timeZone);
  const wallMs =
    toEpochDay(wall) * DAY_MS + ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000;
  // The formatter drops milliseconds, so compare against the instant truncated to its second.
  return wallMs - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The shop's calendar date at `now`. */
export function localDate(now: Date, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(assertInstant(now), timeZone);
  return { year, month, day };
}

/** UTC offset of `timeZone` at `instant` in minutes (e.g. 330 for Asia/Kolkata). */
export function utcOffsetMinutes(instant: Date, timeZone: string): number {
  return Math.round(offsetMs(assertInstant(instant), timeZone) / 60_000);
}

/**
 * The first instant of a local day. Given a Date, the day is the one containing that instant.
 *
 * Usually that is local midnight; but where a DST change happens at midnight (e.g.
 * America/Santiago, America/Havana) midnight may not exist, and the day starts at the transition,
 * or may happen twice, and the day starts at the first. A day a zone skipped entirely
 * (Pacific/Apia, 2011-12-30) yields the start of the next day.
 */
export function startOfLocalDay(date: LocalDate | Date, timeZone: string): Date {
  const day = date instanceof Date ? localDate(date, timeZone) : date;
  const wallMidnight = toEpochDay(day) * DAY_MS;
  // Offsets a day either side bracket any transition near midnight.
  const before = offsetMs(wallMidnight - DAY_MS, timeZone);
  const after = offsetMs(wallMidnight + DAY_MS, timeZone);
  const candidates = [before, after]
    .map((offset) => wallMidnight - offset)
    .filter((ms) => offsetMs(ms, timeZone) === wallMidnight - ms)
    .sort((a, b) => a - b);
  // Two candidates means midnight happened twice (clocks fell back from 01:00 to 00:00): the day
  // began at the first one.
  const first = candidates[0];
  if (first !== undefined) return new Date(first);
  // Midnight falls in a gap: the day begins when the offset in force before the gap ends.
  return new Date(wallMidnight - before);
}

/** The first instant of the local day after the one `date` names (the end of that day, exclusive). */
export function startOfNextLocalDay(date: LocalDate | Date, timeZone: string): Date {
  const day = date instanceof Date ? localDate(date, timeZone) : date;
  return startOfLocalDay(addDays(day, 1), timeZone);
}

/**
 * The shop's zone, or UTC when the stored one is unknown to this runtime: a bad zone must not stop
 * the shop's expiry and birthdays, and UTC is what a shop without a stored zone uses anyway.
 */
export function shopTimeZone(stored: string | null | undefined): string {
  return stored && isValidTimeZone(stored) ? stored : "UTC";
}
