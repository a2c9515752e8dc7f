/**
 * What a benchmark hands back. Absolute times on a shared machine are noisy, so every figure is
 * reported next to a baseline measured in the same run, as a ratio.
 */
export interface Baseline {
  /** Short key figures refer to, e.g. "raw-insert-tx". */
  key: string;
  description: string;
  value: number;
  unit: string;
}

export interface Figure {
  label: string;
  value: number;
  unit: string;
  /** The baseline this figure is compared with (a key of `baselines`). */
  baseline: string;
  /** Set by the harness: value / baseline value. */
  ratio?: number;
}

export interface Goal {
  label: string;
  target: string;
  met: boolean;
  /**
   * The measured value and its bound, so repeated runs judge the goal on the median (issue #24);
   * a goal without one (a count that must be 0 in every run, say) is met by a majority of runs.
   */
  check?: { value: number; atMost?: number; atLeast?: number };
}

export interface BenchmarkResult {
  baselines: Baseline[];
  figures: Figure[];
  goals: Goal[];
  /** Tables (Markdown lines) and remarks worth keeping with the numbers. */
  details: string[];
  /** Versions of what was measured, e.g. PostgreSQL's. */
  versions: Record<string, string>;
}

export interface BenchmarkContext {
  /** `full` locally; `quick` for a smoke run (BENCH_SIZE=quick). */
  size: "full" | "quick";
  /** A PostgreSQL server where the benchmark may create (and must drop) throwaway databases. */
  postgresUrl: string;
  log(line: string): void;
}

/** One benchmark: one file under bench/benchmarks, listed in bench/benchmarks/index.ts. */
export interface Benchmark {
  name: string;
  title: string;
  run(context: BenchmarkContext): Promise<BenchmarkResult>;
}
