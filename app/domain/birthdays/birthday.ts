/** A member's birthday: month and day, year optional (many shoppers will not give it). */
import { z } from "zod";
import { daysInMonth, sameDayInYear, type LocalDate } from "../calendar";

export type Birthday = {
  readonly month: number;
  readonly day: number;
  readonly year?: number | null;
};

export type BirthdayIssue =
  | "month_out_of_range"
  | "day_out_of_range"
  | "year_out_of_range"
  | "not_a_date_that_year"
  | "in_the_future";

// No shopper alive was born before this; it also keeps two-digit-year typos out.
const MIN_YEAR = 1900;

/**
 * Why a birthday is not acceptable, or null when it is. Without a year, the day must exist in that
 * month in a leap year, so Feb 29 is allowed; with a year, it must exist in that year. `today`
 * (the shop's local date) rules out birthdays in the future.
 */
export function birthdayIssue(birthday: Birthday, today?: LocalDate): BirthdayIssue | null {
  const { month, day, year } = birthday;
  if (!Number.isInteger(month) || month < 1 || month > 12) return "month_out_of_range";
  // 2000 is a leap year: the most days the month ever has.
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(2000, month))
    return "day_out_of_range";
  if (year === undefined || year === null) return null;
  if (!Number.isInteger(year) || year < MIN_YEAR || year > 9999) return "year_out_of_range";
  if (day > daysInMonth(year, month)) return "not_a_date_that_year";
  if (today) {
    const born = year * 10_000 + month * 100 + day;
    if (born > today.year * 10_000 + today.month * 100 + today.day) return "in_the_future";
  }
  return null;
}

const MESSAGES: Record<BirthdayIssue, string> = {
  month_out_of_range: "Month must be between 1 and 12",
  day_out_of_range: "That month does not have this day",
  year_out_of_range: `Year must be ${MIN_YEAR} or later`,
  not_a_date_that_year: "That day does not exist in that year",
  in_the_future: "Birthday cannot be in the future",
};

/** For forms, the storefront and the "Set birthday" Flow action; messages are shopper-safe. */
export const BirthdaySchema = z
  .object({
    month: z.int(),
    day: z.int(),
    year: z.int().nullish(),
  })
  .superRefine((birthday, ctx) => {
    const issue = birthdayIssue(birthday);
    if (issue) ctx.addIssue({ code: "custom", message: MESSAGES[issue], path: [pathOf(issue)] });
  });

function pathOf(issue: BirthdayIssue): "month" | "day" | "year" {
  if (issue === "month_out_of_range") return "month";
  return issue === "day_out_of_range" ? "day" : "year";
}

/** This member's birthday in `year`: a Feb 29 birthday falls on Feb 28 in non-leap years. */
export function birthdayInYear(birthday: Birthday, year: number): LocalDate {
  return sameDayInYear(birthday.month, birthday.day, year);
}

/** For the Klaviyo property loyalty_birthday: "1990-07-14", or "--07-14" (ISO 8601) without a year. */
export function formatBirthday(birthday: Birthday): string {
  const monthDay = `${String(birthday.month).padStart(2, "0")}-${String(birthday.day).padStart(2, "0")}`;
  return birthday.year ? `${String(birthday.year).padStart(4, "0")}-${monthDay}` : `--${monthDay}`;
}
