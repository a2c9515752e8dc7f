import { describe, expect, it } from "vitest";
import { aggregateRuns, passes, type MeasuredRun } from "./runs";
import type { BenchmarkResult } from "./types";

const quiet = { idleBefore: 0.97, idleDuring: 0.1, loadAverage: 0.3, disturbed: false, seconds: 9 };

function run(p99: number, baseline: number, lost: number, disturbed = false): MeasuredRun {
  const result: BenchmarkResult = {
    baselines: [{ key: "raw", description: "raw insert", value: baseline, unit: "tx/s" }],
    figures: [{ label: "p99", value: p99, unit: "ms", baseline: "raw", ratio: p99 / baseline }],
    goals: [
      {
        label: "p99 at 100 req/s",
        target: "≤ 100 ms",
        met: p99 <= 100,
        check: { value: p99, atMost: 100 },
      },
      { label: "lost", target: `0 (got ${lost})`, met: lost === 0 },
    ],
    details: [`p99 was ${p99}`],
    versions: { postgres: "15" },
  };
  return { result, conditions: { ...quiet, disturbed, idleBefore: disturbed ? 0.4 : 0.97 } };
}

describe("aggregateRuns", () => {
  it("reports the median of each figure with min–max and each run, and judges goals on the median", () => {
    // One disturbed run with a 588 ms tail, as in issue #24: the median tells what a user gets.
    const result = aggregateRuns([run(35, 4000, 0), run(588, 3000, 0, true), run(40, 5000, 1)]);
    expect(result.baselines[0]!.value).toBe(4000);
    expect(result.figures[0]).toMatchObject({ value: 40, min: 35, max: 588, runs: [35, 588, 40] });
    // The median of each run's ratio to its own baseline, not a ratio of medians (40 / 4000).
    expect(result.figures[0]!.ratio).toBe(0.009);
    expect(result.goals[0]).toMatchObject({ met: true, check: { value: 40 }, runs: [35, 588, 40] });
    // Without a check, a goal needs a majority of runs: one run of three losing events is not.
    expect(result.goals[1]).toMatchObject({ met: true, runs: [true, true, false] });
    expect(result.runs.map((r) => r.disturbed)).toEqual([false, true, false]);
    expect(result.details).toContain("#### Run 2 of 3");
  });

  it("fails a goal whose median misses, even when one run met it", () => {
    const result = aggregateRuns([run(90, 1, 0), run(120, 1, 1), run(130, 1, 1)]);
    expect(result.goals.map((g) => g.met)).toEqual([false, false]);
  });

  it("keeps a single run as it was", () => {
    const result = aggregateRuns([run(35, 4000, 0)]);
    expect(result.details).toEqual(["p99 was 35"]);
    expect(result.figures[0]).toMatchObject({ value: 35, min: 35, max: 35 });
  });
});

describe("passes", () => {
  it("checks both bounds and refuses a value that was not measured", () => {
    expect(passes({ value: 0, atLeast: 0.9 }, 0.95)).toBe(true);
    expect(passes({ value: 0, atLeast: 0.9 }, 0.89)).toBe(false);
    expect(passes({ value: 0, atMost: 2, atLeast: 1 }, 2.5)).toBe(false);
    expect(passes({ value: 0, atMost: 2 }, Number.NaN)).toBe(false);
  });
});
