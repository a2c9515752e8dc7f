import { describe, expect, it } from "vitest";
import { actionKey, periodStart } from "./period";

describe("periodStart", () => {
  // 2027-03-10 02:30 UTC is Tuesday 9 March 21:30 in New York (UTC-5 before DST starts on 14 March).
  const now = new Date("2027-03-10T02:30:00Z");
  const zone = "America/New_York";

  it("starts each period at local midnight in the shop's time zone", () => {
    expect(periodStart("day", now, zone)?.toISOString()).toBe("2027-03-09T05:00:00.000Z");
    expect(periodStart("week", now, zone)?.toISOString()).toBe("2027-03-08T05:00:00.000Z");
    expect(periodStart("month", now, zone)?.toISOString()).toBe("2027-03-01T05:00:00.000Z");
    expect(periodStart("year", now, zone)?.toISOString()).toBe("2027-01-01T05:00:00.000Z");
    expect(periodStart("ever", now, zone)).toBeNull();
  });

  it("weeks start on Monday, a Monday and a Sunday included", () => {
    expect(periodStart("week", new Date("2027-03-08T12:00:00Z"), "UTC")?.toISOString()).toBe(
      "2027-03-08T00:00:00.000Z",
    );
    expect(periodStart("week", new Date("2027-03-14T23:59:00Z"), "UTC")?.toISOString()).toBe(
      "2027-03-08T00:00:00.000Z",
    );
    expect(periodStart("week", new Date("2027-03-15T00:00:00Z"), "UTC")?.toISOString()).toBe(
      "2027-03-15T00:00:00.000Z",
    );
  });
});

describe("actionKey", () => {
  it("counts spelling variants of one name together", () => {
    expect(actionKey("  Left a   Review ")).toBe(actionKey("left a review"));
    expect(actionKey("Left a review")).not.toBe(actionKey("Left a photo review"));
  });
});
