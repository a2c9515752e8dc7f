import os from "node:os";
import { median, round } from "./stats";
import type { BenchmarkResult, Figure, Goal } from "./types";

// Repeated runs (issue #24): one run on a shared 2-core machine can be disturbed by anything else
// running, so each benchmark runs several times, every figure is reported as the median with its
// min–max, and goals are judged on the median. Each run also says how idle the machine was just
// before it started and while it ran, so a disturbed run is visible as such.

/** A run is marked disturbed when less than this share of the CPUs was idle just before it. */
export const QUIET_IDLE_SHARE = 0.8;

/** How long the machine is watched before a run to tell whether something else is running. */
const QUIET_SAMPLE_MS = 2_000;

type CpuTimes = { idle: number; total: number };

function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { idle, total };
}

/** Share of all CPUs idle between two readings (1 = nothing ran). */
function idleShare(from: CpuTimes, to: CpuTimes): number {
  const total = to.total - from.total;
  return total > 0 ? round((to.idle - from.idle) / total, 3) : 1;
}

export interface RunConditions {
  /** Idle share of the machine in the seconds before the run: other work shows here. */
  idleBefore: number;
  /** Idle share while the run went (the benchmark's own load included). */
  idleDuring: number;
  loadAverage: number;
  disturbed: boolean;
  seconds: number;
}

export interface MeasuredRun {
  result: BenchmarkResult;
  conditions: RunConditions;
}

/** Runs one benchmark once, watching the machine before and during it. */
export async function measuredRun(run: () => Promise<BenchmarkResult>): Promise<MeasuredRun> {
  const quietFrom = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, QUIET_SAMPLE_MS));
  const start = cpuTimes();
  const idleBefore = idleShare(quietFrom, start);
  const loadAverage = round(os.loadavg()[0] ?? 0, 2);
  const started = performance.now();
  const result = await run();
  return {
    result,
    conditions: {
      idleBefore,
      idleDuring: idleShare(start, cpuTimes()),
      loadAverage,
      disturbed: idleBefore < QUIET_IDLE_SHARE,
      seconds: Math.round((performance.now() - started) / 1000),
    },
  };
}

export interface AggregateFigure extends Figure {
  runs: number[];
  min: number;
  max: number;
}

export interface AggregateGoal extends Goal {
  /** The value each run measured (goals with a check), or whether each run met it. */
  runs: (number | boolean)[];
}

export interface AggregateResult extends BenchmarkResult {
  figures: AggregateFigure[];
  goals: AggregateGoal[];
  runs: RunConditions[];
}

/**
 * Several runs of a benchmark as one result: baselines and figures are the median of the runs
 * (a figure's ratio is the median of each run's ratio to its own run's baseline), with min–max and
 * every run's value kept; a goal with a check is judged on the median of its measured values, a
 * goal without one is met when a majority of runs met it. Details keep each run's own lines.
 */
export function aggregateRuns(runs: readonly MeasuredRun[]): AggregateResult {
  const first = runs[0];
  if (!first) throw new Error("no run to aggregate");
  const results = runs.map((r) => r.result);
  const baselines = first.result.baselines.map((baseline) => ({
    ...baseline,
    value: round(median(results.map((r) => valueOf(r.baselines, baseline.key, "key"))), 3),
  }));
  const figures = first.result.figures.map((figure): AggregateFigure => {
    const values = results.map((r) => valueOf(r.figures, figure.label, "label"));
    const ratios = results.map((r) => r.figures.find((f) => f.label === figure.label)?.ratio);
    return {
      ...figure,
      value: round(median(values), 3),
      ratio: ratios.every((x) => x !== undefined) ? round(median(ratios), 3) : undefined,
      runs: values,
      min: Math.min(...values),
      max: Math.max(...values),
    };
  });
  const goals = first.result.goals.map((goal, index): AggregateGoal => {
    const each = results.map((r) => r.goals.find((g) => g.label === goal.label) ?? r.goals[index]);
    if (goal.check) {
      const values = each.map((g) => g?.check?.value ?? Number.NaN);
      const value = round(median(values), 3);
      return {
        ...goal,
        check: { ...goal.check, value },
        met: passes(goal.check, value),
        runs: values,
      };
    }
    const met = each.map((g) => g?.met === true);
    return { ...goal, met: met.filter(Boolean).length * 2 > met.length, runs: met };
  });
  const details =
    runs.length === 1
      ? first.result.details
      : results.flatMap((r, i) => ["", `#### Run ${i + 1} of ${runs.length}`, "", ...r.details]);
  return {
    baselines,
    figures,
    goals,
    details,
    versions: first.result.versions,
    runs: runs.map((r) => r.conditions),
  };
}

function valueOf<T extends { value: number }>(items: readonly T[], name: string, key: keyof T) {
  const item = items.find((i) => i[key] === name);
  if (!item) throw new Error(`a run reported no "${name}"`);
  return item.value;
}

/** Whether a measured value meets a goal's check. */
export function passes(check: NonNullable<Goal["check"]>, value: number): boolean {
  if (Number.isNaN(value)) return false;
  if (check.atMost !== undefined && value > check.atMost) return false;
  if (check.atLeast !== undefined && value < check.atLeast) return false;
  return true;
}
