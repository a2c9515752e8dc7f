import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  compareLocalDates,
  daysBetween,
  daysInMonth,
  formatIsoDate,
  fromEpochDay,
  isLeapYear,
  isValidLocalDate,
  parseIsoDate,
  sameDayInYear,
  toEpochDay,
  type LocalDate,
} from "./local-date";

const localDateArb: fc.Arbitrary<LocalDate> = fc
  .record({
    year: fc.integer({ min: 1600, max: 2400 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
  })
  .map((d) => ({ ...d, day: Math.min(d.day, daysInMonth(d.year, d.month)) }));

describe("isLeapYear / daysInMonth", () => {
  it("follows the Gregorian century rules", () => {
    expect([1900, 2000, 2024, 2026, 2100, 2400].map(isLeapYear)).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
    ]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(() => daysInMonth(2026, 13)).toThrow(RangeError);
  });

  it("rejects dates that do not exist", () => {
    expect(isValidLocalDate({ year: 2026, month: 2, day: 29 })).toBe(false);
    expect(isValidLocalDate({ year: 2028, month: 2, day: 29 })).toBe(true);
    expect(isValidLocalDate({ year: 2026, month: 4, day: 31 })).toBe(false);
    expect(isValidLocalDate({ year: 2026, month: 1, day: 1.5 })).toBe(false);
    expect(() => toEpochDay({ year: 2026, month: 2, day: 30 })).toThrow(RangeError);
  });
});

describe("epoch days and day arithmetic", () => {
  it("anchors 1970-01-01 at 0 and handles years below 100", () => {
    expect(toEpochDay({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(fromEpochDay(-1)).toEqual({ year: 1969, month: 12, day: 31 });
    expect(fromEpochDay(toEpochDay({ year: 50, month: 3, day: 1 }))).toEqual({
      year: 50,
      month: 3,
      day: 1,
    });
  });

  it("steps one day at a time through every month length (independent of Date)", () => {
    fc.assert(
      fc.property(localDateArb, (date) => {
        const next = addDays(date, 1);
        const lastOfMonth = date.day === daysInMonth(date.year, date.month);
        if (!lastOfMonth) {
          expect(next).toEqual({ ...date, day: date.day + 1 });
        } else if (date.month < 12) {
          expect(next).toEqual({ year: date.year, month: date.month + 1, day: 1 });
        } else {
          expect(next).toEqual({ year: date.year + 1, month: 1, day: 1 });
        }
      }),
    );
  });

  it("round-trips addDays and daysBetween", () => {
    fc.assert(
      fc.property(localDateArb, fc.integer({ min: -100_000, max: 100_000 }), (date, n) => {
        const moved = addDays(date, n);
        expect(daysBetween(date, moved)).toBe(n);
        expect(addDays(moved, -n)).toEqual(date);
        expect(Math.sign(compareLocalDates(moved, date))).toBe(Math.sign(n));
      }),
    );
  });

  it("counts a leap year's February", () => {
    expect(daysBetween({ year: 2028, month: 2, day: 1 }, { year: 2028, month: 3, day: 1 })).toBe(
      29,
    );
    expect(daysBetween({ year: 2026, month: 1, day: 1 }, { year: 2027, month: 1, day: 1 })).toBe(
      365,
    );
  });
});

describe("ISO dates", () => {
  it("formats and parses, refusing impossible days", () => {
    expect(formatIsoDate({ year: 2026, month: 3, day: 1 })).toBe("2026-03-01");
    expect(parseIsoDate("2028-02-29")).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseIsoDate("2026-02-29")).toBeNull();
    expect(parseIsoDate("2026-2-1")).toBeNull();
  });

  it("round-trips every valid date", () => {
    fc.assert(
      fc.property(localDateArb, (date) => {
        expect(parseIsoDate(formatIsoDate(date))).toEqual(date);
      }),
    );
  });
});

describe("sameDayInYear", () => {
  it("moves Feb 29 to Feb 28 only in non-leap years", () => {
    expect(sameDayInYear(2, 29, 2027)).toEqual({ year: 2027, month: 2, day: 28 });
    expect(sameDayInYear(2, 29, 2028)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(sameDayInYear(7, 14, 2027)).toEqual({ year: 2027, month: 7, day: 14 });
  });
});
