import { describe, expect, it } from "vitest";
import { BirthdaySchema, birthdayInYear, birthdayIssue, formatBirthday } from "./birthday";

describe("birthdayIssue", () => {
  it("allows Feb 29 without a year and in leap years only", () => {
    expect(birthdayIssue({ month: 2, day: 29 })).toBeNull();
    expect(birthdayIssue({ month: 2, day: 29, year: 2000 })).toBeNull();
    expect(birthdayIssue({ month: 2, day: 29, year: 1900 })).toBe("not_a_date_that_year");
    expect(birthdayIssue({ month: 2, day: 29, year: 2023 })).toBe("not_a_date_that_year");
    expect(birthdayIssue({ month: 2, day: 30 })).toBe("day_out_of_range");
  });

  it("rejects days a month never has, and out-of-range parts", () => {
    expect(birthdayIssue({ month: 4, day: 31 })).toBe("day_out_of_range");
    expect(birthdayIssue({ month: 12, day: 31 })).toBeNull();
    expect(birthdayIssue({ month: 0, day: 1 })).toBe("month_out_of_range");
    expect(birthdayIssue({ month: 13, day: 1 })).toBe("month_out_of_range");
    expect(birthdayIssue({ month: 1, day: 0 })).toBe("day_out_of_range");
    expect(birthdayIssue({ month: 1.5, day: 1 })).toBe("month_out_of_range");
    expect(birthdayIssue({ month: 1, day: 1, year: 1899 })).toBe("year_out_of_range");
    expect(birthdayIssue({ month: 1, day: 1, year: null })).toBeNull();
  });

  it("rejects a birthday after the shop's today", () => {
    const today = { year: 2026, month: 3, day: 1 };
    expect(birthdayIssue({ month: 3, day: 1, year: 2026 }, today)).toBeNull();
    expect(birthdayIssue({ month: 3, day: 2, year: 2026 }, today)).toBe("in_the_future");
  });
});

describe("BirthdaySchema", () => {
  it("parses a valid birthday and explains an invalid one on the right field", () => {
    expect(BirthdaySchema.parse({ month: 2, day: 29 })).toEqual({ month: 2, day: 29 });
    const result = BirthdaySchema.safeParse({ month: 2, day: 29, year: 2023 });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([
      { path: ["year"], message: "That day does not exist in that year" },
    ]);
    expect(BirthdaySchema.safeParse({ month: "2", day: 1 }).success).toBe(false);
  });
});

describe("birthdayInYear / formatBirthday", () => {
  it("celebrates Feb 29 on Feb 28 in non-leap years", () => {
    expect(birthdayInYear({ month: 2, day: 29 }, 2027)).toEqual({ year: 2027, month: 2, day: 28 });
    expect(birthdayInYear({ month: 2, day: 29 }, 2028)).toEqual({ year: 2028, month: 2, day: 29 });
  });

  it("formats ISO 8601 with or without the year", () => {
    expect(formatBirthday({ month: 7, day: 4 })).toBe("--07-04");
    expect(formatBirthday({ month: 7, day: 4, year: 1990 })).toBe("1990-07-04");
  });
});
