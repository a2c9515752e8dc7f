import { fromEpochDay, localDate, startOfLocalDay, toEpochDay, type LocalDate } from "../calendar";

// Custom actions (issue #23): "at most N times per member per period", as Rivo limits them. A
// period is a calendar day, week (Monday to Sunday), month or year in the shop's time zone, or
// "ever"; the count is of the member's credits for the action since the period began.

export const ACTION_PERIODS = ["day", "week", "month", "year", "ever"] as const;
export type ActionPeriod = (typeof ACTION_PERIODS)[number];

/** The first instant of the period that contains `now`; null for "ever" (no start). */
export function periodStart(period: ActionPeriod, now: Date, timeZone: string): Date | null {
  if (period === "ever") return null;
  const today = localDate(now, timeZone);
  return startOfLocalDay(firstDay(period, today), timeZone);
}

function firstDay(period: Exclude<ActionPeriod, "ever">, today: LocalDate): LocalDate {
  if (period === "day") return today;
  if (period === "month") return { year: today.year, month: today.month, day: 1 };
  if (period === "year") return { year: today.year, month: 1, day: 1 };
  // Epoch day 0 (1970-01-01) was a Thursday: +3 counts the days since Monday.
  const epochDay = toEpochDay(today);
  return fromEpochDay(epochDay - ((((epochDay + 3) % 7) + 7) % 7));
}

/**
 * The action's name as the limit compares it: trimmed, inner spaces collapsed, lower case, so
 * "Left a review" and "left a  review" in two workflows count together.
 */
export function actionKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}
