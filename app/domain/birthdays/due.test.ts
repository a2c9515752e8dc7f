import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  daysInMonth,
  localDate,
  startOfLocalDay,
  type LocalDate,
} from "../calendar";
import {
  annualKey,
  anniversaryDue,
  birthdayDue,
  birthMonthEnteredDue,
  type AnnualDue,
} from "./due";

const NY = "America/New_York";
const LONG_AGO = new Date("2020-01-01T00:00:00Z");
const t = (iso: string) => new Date(iso);
const dueYear = (result: AnnualDue) => (result.due ? result.year : null);

describe("birthMonthEnteredDue", () => {
  const march = { month: 3, day: 17 };

  it("is due from the 1st of the birth month in the shop's time zone", () => {
    // 2026-03-01T03:00Z is still Feb 28 in New York: not yet
    expect(birthMonthEnteredDue(march, LONG_AGO, null, t("2026-03-01T03:00:00Z"), NY)).toEqual({
      due: false,
    });
    // New York's midnight (EST, UTC-5)
    expect(birthMonthEnteredDue(march, LONG_AGO, null, t("2026-03-01T05:00:00Z"), NY)).toEqual({
      due: true,
      year: 2026,
      dueOn: { year: 2026, month: 3, day: 1 },
    });
    // the same instant is already Mar 1 in UTC and in Kolkata
    expect(
      dueYear(birthMonthEnteredDue(march, LONG_AGO, null, t("2026-03-01T03:00:00Z"), "UTC")),
    ).toBe(2026);
    expect(
      dueYear(birthMonthEnteredDue(march, null, null, t("2026-02-28T18:30:00Z"), "Asia/Kolkata")),
    ).toBe(2026);
  });

  it("is due on the DST change day from the first local instant", () => {
    const november = { month: 11, day: 5 };
    const start = startOfLocalDay({ year: 2026, month: 11, day: 1 }, NY); // 04:00Z, still EDT
    expect(start.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(birthMonthEnteredDue(november, null, null, start, NY).due).toBe(true);
    expect(birthMonthEnteredDue(november, null, null, new Date(start.getTime() - 1), NY).due).toBe(
      false,
    );
  });

  it("once per year: not again after the grant, due again next year", () => {
    expect(birthMonthEnteredDue(march, LONG_AGO, 2026, t("2026-03-15T12:00:00Z"), NY)).toEqual({
      due: false,
    });
    expect(
      dueYear(birthMonthEnteredDue(march, LONG_AGO, 2026, t("2027-03-01T12:00:00Z"), NY)),
    ).toBe(2027);
  });

  it("catches up later in the month if the 1st was missed, and stops at month end", () => {
    expect(
      dueYear(birthMonthEnteredDue(march, LONG_AGO, 2025, t("2026-03-31T12:00:00Z"), NY)),
    ).toBe(2026);
    expect(birthMonthEnteredDue(march, LONG_AGO, 2025, t("2026-04-01T12:00:00Z"), NY).due).toBe(
      false,
    );
  });

  it("captured mid-month: due the next local day, not the same day", () => {
    // GIVEN the birthday was saved on Mar 10 (New York)
    const captured = t("2026-03-10T15:00:00Z");
    // WHEN the job runs the same evening THEN not yet
    expect(birthMonthEnteredDue(march, captured, null, t("2026-03-11T03:00:00Z"), NY).due).toBe(
      false,
    );
    // WHEN it runs the next day THEN due, with Mar 11 as the due day
    expect(birthMonthEnteredDue(march, captured, null, t("2026-03-11T12:00:00Z"), NY)).toEqual({
      due: true,
      year: 2026,
      dueOn: { year: 2026, month: 3, day: 11 },
    });
  });

  it("captured on the last day: due on the 1st of the next month, keyed to the birth month's year", () => {
    const december = { month: 12, day: 25 };
    const captured = t("2026-12-31T20:00:00Z"); // 15:00 on Dec 31 in New York
    expect(birthMonthEnteredDue(december, captured, null, t("2027-01-01T12:00:00Z"), NY)).toEqual({
      due: true,
      year: 2026,
      dueOn: { year: 2027, month: 1, day: 1 },
    });
    expect(birthMonthEnteredDue(december, captured, null, t("2027-01-02T12:00:00Z"), NY).due).toBe(
      false,
    );
  });

  it("captured after the birth month: waits for next year", () => {
    const captured = t("2026-04-02T12:00:00Z");
    expect(birthMonthEnteredDue(march, captured, null, t("2026-04-03T12:00:00Z"), NY).due).toBe(
      false,
    );
    expect(
      dueYear(birthMonthEnteredDue(march, captured, null, t("2027-03-01T12:00:00Z"), NY)),
    ).toBe(2027);
  });

  it("handles a Feb 29 birthday in leap and non-leap years", () => {
    const leapling = { month: 2, day: 29 };
    expect(dueYear(birthMonthEnteredDue(leapling, null, null, t("2027-02-01T12:00:00Z"), NY))).toBe(
      2027,
    );
    expect(dueYear(birthMonthEnteredDue(leapling, null, 2027, t("2028-02-29T12:00:00Z"), NY))).toBe(
      2028,
    );
  });

  it("refuses an invalid birthday", () => {
    expect(() =>
      birthMonthEnteredDue({ month: 2, day: 30 }, null, null, t("2026-02-01T12:00:00Z"), NY),
    ).toThrow(RangeError);
  });

  it("property: with a daily job, exactly one grant per birth month after capture, never early", () => {
    const zones = ["America/New_York", "Europe/Berlin", "Pacific/Auckland", "Asia/Kolkata"];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 730 * 24 }), // capture, hours after 2025-01-01
        fc.integer({ min: 0, max: 23 }), // the job's UTC hour
        fc.constantFrom(...zones),
        (month, captureHours, jobHour, zone) => {
          const capturedAt = new Date(Date.UTC(2025, 0, 1) + captureHours * 3_600_000);
          const capturedOn = localDate(capturedAt, zone);
          const grants: { year: number; on: LocalDate }[] = [];
          let last: number | null = null;
          for (let day = 0; day < 3 * 366; day++) {
            const now = new Date(Date.UTC(2025, 0, 1 + day, jobHour));
            if (now < capturedAt) continue;
            const result = birthMonthEnteredDue({ month, day: 1 }, capturedAt, last, now, zone);
            if (!result.due) continue;
            const on = localDate(now, zone);
            grants.push({ year: result.year, on });
            last = result.year;
            // never on the capture day itself, and inside the birth month unless captured on its last day
            expect(daysBetween(capturedOn, on)).toBeGreaterThan(0);
            const capturedLastDay =
              capturedOn.month === month && capturedOn.day === daysInMonth(capturedOn.year, month);
            if (on.month !== month)
              expect(capturedLastDay && daysBetween(capturedOn, on) === 1).toBe(true);
          }
          const years = grants.map((g) => g.year);
          expect(new Set(years).size).toBe(years.length);
          // every birth month wholly after the capture day is granted on its 1st
          for (const year of [2025, 2026, 2027]) {
            const first = { year, month, day: 1 };
            const end = new Date(Date.UTC(2025, 0, 1 + 3 * 366 - 1, jobHour));
            const lastDay = addDays(first, daysInMonth(year, month) - 1);
            if (
              daysBetween(capturedOn, first) <= 0 ||
              daysBetween(lastDay, localDate(end, zone)) < 0
            )
              continue;
            const grant = grants.find((g) => g.year === year);
            expect(grant?.on).toEqual(first);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("birthdayDue", () => {
  it("falls on Feb 28 for a Feb 29 birthday in a non-leap year, Feb 29 in a leap year", () => {
    const leapling = { month: 2, day: 29 };
    expect(birthdayDue(leapling, null, null, t("2027-02-27T17:00:00Z"), NY).due).toBe(false);
    expect(birthdayDue(leapling, null, null, t("2027-02-28T17:00:00Z"), NY)).toMatchObject({
      due: true,
      year: 2027,
      dueOn: { year: 2027, month: 2, day: 28 },
    });
    expect(birthdayDue(leapling, null, null, t("2028-02-28T17:00:00Z"), NY).due).toBe(false);
    expect(birthdayDue(leapling, null, null, t("2028-02-29T17:00:00Z"), NY)).toMatchObject({
      due: true,
      year: 2028,
    });
  });

  it("has a week of grace, then waits for next year", () => {
    const july = { month: 7, day: 14 };
    expect(birthdayDue(july, null, null, t("2026-07-20T17:00:00Z"), NY).due).toBe(true);
    expect(birthdayDue(july, null, null, t("2026-07-21T17:00:00Z"), NY).due).toBe(false);
    expect(birthdayDue(july, null, 2026, t("2026-07-14T17:00:00Z"), NY).due).toBe(false);
  });
});

describe("anniversaryDue", () => {
  it("celebrates yearly on the local join date, not in the join year", () => {
    // joined 2025-05-01T02:00Z = Apr 30 in New York
    const joined = t("2025-05-01T02:00:00Z");
    expect(anniversaryDue(joined, null, t("2025-05-01T12:00:00Z"), NY).due).toBe(false);
    expect(anniversaryDue(joined, null, t("2026-04-29T12:00:00Z"), NY).due).toBe(false);
    expect(anniversaryDue(joined, null, t("2026-04-30T12:00:00Z"), NY)).toEqual({
      due: true,
      year: 2026,
      dueOn: { year: 2026, month: 4, day: 30 },
    });
    expect(anniversaryDue(joined, 2026, t("2026-05-02T12:00:00Z"), NY).due).toBe(false);
  });

  it("moves a Feb 29 join to Feb 28 in non-leap years", () => {
    const joined = t("2024-02-29T17:00:00Z");
    expect(anniversaryDue(joined, null, t("2025-02-28T17:00:00Z"), NY)).toMatchObject({
      due: true,
      dueOn: { year: 2025, month: 2, day: 28 },
    });
    expect(anniversaryDue(joined, 2027, t("2028-02-28T17:00:00Z"), NY).due).toBe(false);
    expect(anniversaryDue(joined, 2027, t("2028-02-29T17:00:00Z"), NY)).toMatchObject({
      due: true,
      year: 2028,
    });
  });

  it("builds one key per kind, member and year", () => {
    expect(annualKey("birth_month", "m1", 2026)).toBe("birth_month:m1:2026");
  });
});
