// `npm run bench [-- name …]`: runs the named benchmarks (all when none is named) and writes a
// dated Markdown + JSON report to bench/results/. BENCH_SIZE=quick (or small) for a smoke run;
// BENCH_POSTGRES_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres).
import { BENCHMARKS } from "./benchmarks";
import { describeMachine, withRatios, writeReport, type Report } from "./harness/report";
import { aggregateRuns, measuredRun, type MeasuredRun } from "./harness/runs";

const names = process.argv.slice(2);
const unknown = names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(", ")}; known: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
  );
  process.exit(2);
}
const selected = names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
// "small" is accepted as another name for "quick".
const size = ["quick", "small"].includes(process.env.BENCH_SIZE ?? "") ? "quick" : "full";
const postgresUrl = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
// Three runs at full size, figures reported as their median (issue #24); BENCH_RUNS overrides.
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? (size === "full" ? 3 : 1)) || 1);

const report: Report = {
  startedAt: new Date().toISOString(),
  command: ["npm run bench", ...(names.length ? ["--", ...names] : [])].join(" "),
  size,
  runs,
  machine: describeMachine(),
  remarks: (process.env.BENCH_REMARKS ?? "").split("\n").filter(Boolean),
  benchmarks: [],
};

for (const benchmark of selected) {
  const started = performance.now();
  const measured: MeasuredRun[] = [];
  for (let run = 1; run <= runs; run++) {
    console.info(`▶ ${benchmark.name}: ${benchmark.title} (run ${run} of ${runs})`);
    const { result, conditions } = await measuredRun(() =>
      benchmark.run({ size, postgresUrl, log: (line) => console.info(`  ${line}`) }),
    );
    measured.push({ result: withRatios(result), conditions });
    const idle = `${conditions.idleBefore} idle before, ${conditions.idleDuring} during`;
    console.info(`  run ${run}: ${conditions.seconds} s, ${idle}`);
  }
  report.benchmarks.push({
    name: benchmark.name,
    title: benchmark.title,
    seconds: Math.round((performance.now() - started) / 1000),
    ...aggregateRuns(measured),
  });
}

const files = writeReport(report);
console.info(`report: ${files.markdown}`);
for (const bench of report.benchmarks) {
  for (const goal of bench.goals) {
    console.info(`${goal.met ? "✔" : "✘"} ${bench.name}: ${goal.label} ${goal.target}`);
  }
}
