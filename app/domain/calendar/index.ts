// Calendar helpers: local dates in the shop's time zone and day arithmetic that is safe across DST.
export type { LocalDate } from "./local-date";
export {
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
  sameLocalDate,
  toEpochDay,
} from "./local-date";
export {
  isValidTimeZone,
  localDate,
  shopTimeZone,
  startOfLocalDay,
  startOfNextLocalDay,
  utcOffsetMinutes,
} from "./time-zone";
