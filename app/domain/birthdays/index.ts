// Birthdays and anniversaries: validation, and when the yearly events and bonuses are due.
export type { Birthday, BirthdayIssue } from "./birthday";
export type { AnnualDue } from "./due";
export { BirthdaySchema, birthdayInYear, birthdayIssue, formatBirthday } from "./birthday";
export { annualKey, anniversaryDue, birthdayDue, birthMonthEnteredDue, CATCH_UP_DAYS } from "./due";
