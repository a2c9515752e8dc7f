import {
  addDays,
  daysBetween,
  formatIsoDate,
  parseIsoDate,
  sameDayInYear,
  type LocalDate,
} from "~/domain/calendar";

/** The dashboard's preset periods, each ending today (shop time). */
export const PERIOD_PRESETS = ["7d", "30d", "90d", "12m"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export const DEFAULT_PRESET: PeriodPreset = "30d";

/** The longest custom range: two years of days keeps every chart and query bounded. */
export const MAX_PERIOD_DAYS = 731;

/** A range of whole shop-local days, both ends included. */
export interface DashboardPeriod {
  preset: PeriodPreset | "custom";
  from: string;
  to: string;
  days: number;
}

export type PeriodError = "invalid_date" | "from_after_to" | "in_future" | "too_long";

export type PeriodResult =
  | { ok: true; period: DashboardPeriod }
  | { ok: false; error: PeriodError; fallback: DashboardPeriod };

/** The preset's first day: 7, 30 or 90 days including today, or the 12 months up to today. */
export function presetPeriod(preset: PeriodPreset, today: LocalDate): DashboardPeriod {
  let from: LocalDate;
  if (preset === "12m") {
    // The day after today's date a year ago (a Feb 29 today starts on Mar 1 a year ago).
    from = addDays(sameDayInYear(today.month, today.day, today.year - 1), 1);
  } else {
    from = addDays(today, -(Number.parseInt(preset, 10) - 1));
  }
  return {
    preset,
    from: formatIsoDate(from),
    to: formatIsoDate(today),
    days: daysBetween(from, today) + 1,
  };
}

/**
 * The period a dashboard URL asks for: `?period=7d|30d|90d|12m`, or `?from=YYYY-MM-DD&to=…`
 * (both needed). A bad custom range is an error with the default period as the fallback to show;
 * an unknown preset is the default preset.
 */
export function parsePeriod(params: URLSearchParams, today: LocalDate): PeriodResult {
  const fallback = presetPeriod(DEFAULT_PRESET, today);
  const fromText = params.get("from");
  const toText = params.get("to");
  if (fromText || toText) {
    const from = fromText ? parseIsoDate(fromText) : null;
    const to = toText ? parseIsoDate(toText) : null;
    if (!from || !to) return { ok: false, error: "invalid_date", fallback };
    const days = daysBetween(from, to) + 1;
    if (days < 1) return { ok: false, error: "from_after_to", fallback };
    if (daysBetween(today, to) > 0) return { ok: false, error: "in_future", fallback };
    if (days > MAX_PERIOD_DAYS) return { ok: false, error: "too_long", fallback };
    return {
      ok: true,
      period: { preset: "custom", from: formatIsoDate(from), to: formatIsoDate(to), days },
    };
  }
  const preset = params.get("period");
  const known = PERIOD_PRESETS.find((p) => p === preset);
  return { ok: true, period: presetPeriod(known ?? DEFAULT_PRESET, today) };
}

/** Chart buckets: days up to 92 days, ISO weeks (from the period's first day) up to a year+, else months. */
export type Bucket = "day" | "week" | "month";

export function bucketFor(days: number): Bucket {
  if (days <= 92) return "day";
  if (days <= 370) return "week";
  return "month";
}

export interface DaySums {
  day: string;
  issued: number;
  redeemed: number;
  expired: number;
}

/**
 * Per-day sums into chart buckets covering the whole period (a day without activity is a zero,
 * not a gap): each bucket is labelled with its first day.
 */
export function bucketSeries(period: DashboardPeriod, days: readonly DaySums[]): DaySums[] {
  const bucket = bucketFor(period.days);
  const from = parseIsoDate(period.from)!;
  const byDay = new Map(days.map((d) => [d.day, d]));
  const out: DaySums[] = [];
  for (let offset = 0; offset < period.days; offset++) {
    const date = addDays(from, offset);
    const key = bucketStart(date, from, bucket);
    let current = out[out.length - 1];
    if (!current || current.day !== key) {
      current = { day: key, issued: 0, redeemed: 0, expired: 0 };
      out.push(current);
    }
    const sums = byDay.get(formatIsoDate(date));
    if (sums) {
      current.issued += sums.issued;
      current.redeemed += sums.redeemed;
      current.expired += sums.expired;
    }
  }
  return out;
}

function bucketStart(date: LocalDate, from: LocalDate, bucket: Bucket): string {
  if (bucket === "day") return formatIsoDate(date);
  if (bucket === "week")
    return formatIsoDate(addDays(from, Math.floor(daysBetween(from, date) / 7) * 7));
  const first = { year: date.year, month: date.month, day: 1 };
  return formatIsoDate(daysBetween(from, first) < 0 ? from : first);
}

/** Points redeemed per point issued in the period, as a fraction; null when nothing was issued. */
export function redemptionRate(issued: number, redeemed: number): number | null {
  return issued > 0 ? redeemed / issued : null;
}
