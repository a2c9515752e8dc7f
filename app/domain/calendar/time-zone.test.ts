import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, formatIsoDate } from "./local-date";
import {
  isValidTimeZone,
  localDate,
  startOfLocalDay,
  startOfNextLocalDay,
  utcOffsetMinutes,
} from "./time-zone";

const HOUR = 3_600_000;
const ZONES = [
  "UTC",
  "America/New_York",
  "Europe/Berlin",
  "Pacific/Auckland",
  "Asia/Kolkata",
  "America/Los_Angeles",
  "Pacific/Kiritimati", // UTC+14: the local date is a day ahead of UTC for most of the day
  "Pacific/Pago_Pago", // UTC-11
  // DST changes at midnight: the local day does not start at 00:00, or 00:00 happens twice.
  "America/Santiago",
  "America/Havana",
  "Asia/Beirut",
  "America/Sao_Paulo",
] as const;

const instantArb = fc.date({
  min: new Date("1990-01-01T00:00:00Z"),
  max: new Date("2100-01-01T00:00:00Z"),
  noInvalidDate: true,
});

const iso = (instant: Date, zone: string) => formatIsoDate(localDate(instant, zone));

describe("localDate", () => {
  it("uses the shop's date where it differs from the UTC date", () => {
    // GIVEN 03:00 UTC on Mar 1 WHEN seen from New York (UTC-5) THEN it is still Feb 28
    expect(iso(new Date("2026-03-01T03:00:00Z"), "America/New_York")).toBe("2026-02-28");
    // and Auckland (UTC+13 in February) is already in March at noon UTC on Feb 28
    expect(iso(new Date("2026-02-28T12:00:00Z"), "Pacific/Auckland")).toBe("2026-03-01");
    // Kolkata's half-hour offset: the day turns at 18:30 UTC
    expect(iso(new Date("2026-02-28T18:29:59.999Z"), "Asia/Kolkata")).toBe("2026-02-28");
    expect(iso(new Date("2026-02-28T18:30:00Z"), "Asia/Kolkata")).toBe("2026-03-01");
  });

  it("agrees with plain offset arithmetic in a zone without DST", () => {
    fc.assert(
      fc.property(instantArb, (instant) => {
        const shifted = new Date(instant.getTime() + 330 * 60_000);
        expect(iso(instant, "Asia/Kolkata")).toBe(shifted.toISOString().slice(0, 10));
        expect(utcOffsetMinutes(instant, "Asia/Kolkata")).toBe(330);
      }),
    );
  });

  it("refuses unknown zones and invalid dates", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(() => localDate(new Date(), "Mars/Olympus_Mons")).toThrow(RangeError);
    expect(() => localDate(new Date(NaN), "UTC")).toThrow(RangeError);
  });
});

describe("startOfLocalDay", () => {
  it("brackets every instant by the first instant of its day and of the next", () => {
    fc.assert(
      fc.property(instantArb, fc.constantFrom(...ZONES), (instant, zone) => {
        const day = localDate(instant, zone);
        const start = startOfLocalDay(instant, zone);
        const next = startOfNextLocalDay(instant, zone);
        // THEN the day contains the instant and nothing earlier belongs to it
        expect(start.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(next.getTime()).toBeGreaterThan(instant.getTime());
        expect(localDate(start, zone)).toEqual(day);
        expect(localDate(new Date(start.getTime() - 1), zone)).toEqual(addDays(day, -1));
        expect(localDate(next, zone)).toEqual(addDays(day, 1));
        // and a local day is never shorter than 23 or longer than 25 hours in these zones
        const length = next.getTime() - start.getTime();
        expect(length).toBeGreaterThanOrEqual(23 * HOUR);
        expect(length).toBeLessThanOrEqual(25 * HOUR);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    // zone, DST day, UTC start, hours in that day
    ["America/New_York", "2026-03-08", "2026-03-08T05:00:00.000Z", 23],
    ["America/New_York", "2026-11-01", "2026-11-01T04:00:00.000Z", 25],
    ["Europe/Berlin", "2026-03-29", "2026-03-28T23:00:00.000Z", 23],
    ["Europe/Berlin", "2026-10-25", "2026-10-24T22:00:00.000Z", 25],
    ["Pacific/Auckland", "2026-04-05", "2026-04-04T11:00:00.000Z", 25],
    ["Pacific/Auckland", "2026-09-27", "2026-09-26T12:00:00.000Z", 23],
    ["Asia/Kolkata", "2026-03-29", "2026-03-28T18:30:00.000Z", 24],
    // midnight does not exist: the day starts at 01:00 local
    ["America/Santiago", "2026-09-06", "2026-09-06T04:00:00.000Z", 23],
    // midnight happens twice: the day starts at the first one
    ["America/Havana", "2026-11-01", "2026-11-01T04:00:00.000Z", 25],
  ])("%s on %s starts at %s and lasts %i hours", (zone, day, utcStart, hours) => {
    const [year, month, dom] = day.split("-").map(Number) as [number, number, number];
    const start = startOfLocalDay({ year, month, day: dom }, zone);
    expect(start.toISOString()).toBe(utcStart);
    const next = startOfNextLocalDay({ year, month, day: dom }, zone);
    expect((next.getTime() - start.getTime()) / HOUR).toBe(hours);
  });

  it("maps a day the zone skipped to the start of the next day", () => {
    // Samoa moved across the date line: 2011-12-30 never happened in Apia.
    const start = startOfLocalDay({ year: 2011, month: 12, day: 30 }, "Pacific/Apia");
    expect(iso(start, "Pacific/Apia")).toBe("2011-12-31");
  });
});
