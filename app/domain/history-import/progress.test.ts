import { describe, expect, it } from "vitest";
import { describeTimeLeft, importProgress } from "./progress";

const now = new Date("2026-12-06T12:00:00Z");
const base = {
  state: "applying",
  customerLinesDone: 0,
  customerLinesTotal: 1_000,
  orderLinesDone: 0,
  orderLinesTotal: 3_000,
  customersValued: 0,
  customers: 0,
  applyingAt: new Date(now.getTime() - 60_000),
};

describe("history import progress", () => {
  it("waits, then prepares, with no estimate before applying starts", () => {
    expect(importProgress({ ...base, state: "queued", applyingAt: null }, now)).toEqual({
      percent: 0,
      secondsLeft: null,
      phase: "waiting",
    });
    expect(importProgress({ ...base, state: "fetching", applyingAt: null }, now).phase).toBe(
      "preparing",
    );
  });

  it("counts both files' lines and estimates the rest at the pace so far", () => {
    // 1,000 of 4,000 lines in 60 s: 3,000 left at the same pace is 180 s.
    const progress = importProgress({ ...base, customerLinesDone: 1_000 }, now);
    expect(progress).toEqual({ percent: 25, secondsLeft: 180, phase: "applying" });
  });

  it("counts the customers valued after both files as work too", () => {
    const files = { customerLinesDone: 1_000, orderLinesDone: 3_000, customers: 1_000 };
    const valuing = importProgress({ ...base, ...files, customersValued: 500 }, now);
    // 4,500 of 5,000 in 60 s: 500 left, about 7 s.
    expect(valuing).toEqual({ percent: 90, secondsLeft: 7, phase: "applying" });
  });

  it("has no estimate before the first chunk, and never goes past 100", () => {
    expect(importProgress(base, now).secondsLeft).toBeNull();
    const over = importProgress({ ...base, customerLinesDone: 5_000, orderLinesDone: 5_000 }, now);
    expect(over.percent).toBe(100);
    expect(over.secondsLeft).toBe(0);
  });

  it("keeps a stopped import's percentage and fills a done one", () => {
    const stopped = { ...base, state: "stopped", customerLinesDone: 400 };
    expect(importProgress(stopped, now)).toEqual({
      percent: 10,
      secondsLeft: 0,
      phase: "finished",
    });
    expect(importProgress({ ...base, state: "done", orderLinesTotal: 0 }, now).percent).toBe(100);
  });

  it("says the time left in words", () => {
    expect(describeTimeLeft(null)).toBeNull();
    expect(describeTimeLeft(20)).toBe("less than a minute");
    expect(describeTimeLeft(61)).toBe("about 1 minute");
    expect(describeTimeLeft(600)).toBe("about 10 minutes");
    expect(describeTimeLeft(7_200)).toBe("about 2 hours");
  });
});
