import { describe, expect, it } from "vitest";
import { bucketFor, bucketSeries, parsePeriod, presetPeriod, redemptionRate } from "./period";

const today = { year: 2028, month: 2, day: 29 };
const params = (query: string) => new URLSearchParams(query);

describe("dashboard periods", () => {
  it("presets end today and include it", () => {
    expect(presetPeriod("7d", today)).toEqual({
      preset: "7d",
      from: "2028-02-23",
      to: "2028-02-29",
      days: 7,
    });
    expect(presetPeriod("90d", today).from).toBe("2027-12-02");
    // A leap day today: the year before has no Feb 29, so the year starts on Mar 1.
    expect(presetPeriod("12m", today)).toMatchObject({ from: "2027-03-01", days: 366 });
    expect(presetPeriod("12m", { year: 2026, month: 11, day: 23 })).toMatchObject({
      from: "2025-11-24",
      days: 365,
    });
  });

  it("parses presets and custom ranges, and refuses bad ranges with the default as fallback", () => {
    expect(parsePeriod(params(""), today)).toMatchObject({ ok: true, period: { preset: "30d" } });
    expect(parsePeriod(params("period=12m"), today)).toMatchObject({ period: { preset: "12m" } });
    expect(parsePeriod(params("period=nope"), today)).toMatchObject({ period: { preset: "30d" } });
    expect(parsePeriod(params("from=2028-02-01&to=2028-02-01"), today)).toEqual({
      ok: true,
      period: { preset: "custom", from: "2028-02-01", to: "2028-02-01", days: 1 },
    });
    const cases = {
      "from=2028-02-30&to=2028-02-29": "invalid_date",
      "to=2028-02-01": "invalid_date",
      "from=x&to=2028-02-01": "invalid_date",
      "from=2028-02-10&to=2028-02-01": "from_after_to",
      "from=2028-02-01&to=2028-03-01": "in_future",
      "from=2026-01-01&to=2028-02-01": "too_long",
    };
    for (const [query, error] of Object.entries(cases)) {
      const result = parsePeriod(params(query), today);
      expect(result, query).toMatchObject({ ok: false, error, fallback: { preset: "30d" } });
    }
  });

  it("buckets by day, week or month, covering every day of the period with zeros", () => {
    expect([bucketFor(7), bucketFor(92), bucketFor(93), bucketFor(366), bucketFor(400)]).toEqual([
      "day",
      "day",
      "week",
      "week",
      "month",
    ]);
    const week = presetPeriod("7d", today);
    const series = bucketSeries(week, [
      { day: "2028-02-24", issued: 5, redeemed: 1, expired: 0 },
      { day: "2028-01-01", issued: 99, redeemed: 0, expired: 0 },
    ]);
    expect(series.map((s) => s.day)).toEqual([
      "2028-02-23",
      "2028-02-24",
      "2028-02-25",
      "2028-02-26",
      "2028-02-27",
      "2028-02-28",
      "2028-02-29",
    ]);
    expect(series[1]).toEqual({ day: "2028-02-24", issued: 5, redeemed: 1, expired: 0 });
    expect(series.reduce((sum, s) => sum + s.issued, 0)).toBe(5);

    const year = presetPeriod("12m", today);
    const weeks = bucketSeries(year, [
      { day: "2027-03-01", issued: 1, redeemed: 0, expired: 0 },
      { day: "2027-03-07", issued: 2, redeemed: 0, expired: 0 },
      { day: "2027-03-08", issued: 4, redeemed: 0, expired: 0 },
      { day: "2028-02-29", issued: 8, redeemed: 0, expired: 0 },
    ]);
    expect(weeks[0]).toEqual({ day: "2027-03-01", issued: 3, redeemed: 0, expired: 0 });
    expect(weeks[1]).toEqual({ day: "2027-03-08", issued: 4, redeemed: 0, expired: 0 });
    expect(weeks.at(-1)!.issued).toBe(8);
    expect(weeks).toHaveLength(53);

    const long = { preset: "custom" as const, from: "2026-01-15", to: "2027-04-30", days: 471 };
    const months = bucketSeries(long, []);
    expect(months).toHaveLength(16);
    expect(months.slice(0, 3).map((m) => m.day)).toEqual([
      "2026-01-15",
      "2026-02-01",
      "2026-03-01",
    ]);
  });

  it("rates redemptions per point issued, or none when nothing was issued", () => {
    expect(redemptionRate(200, 50)).toBe(0.25);
    expect(redemptionRate(0, 50)).toBeNull();
  });
});
