import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { QUIET_IDLE_SHARE, type AggregateResult } from "./runs";
import { round } from "./stats";
import type { BenchmarkResult } from "./types";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  loadAverage: number[];
  os: string;
  node: string;
  pglite: string;
  prisma: string;
  pgBoss: string;
  commit: string;
}

export function describeMachine(): Machine {
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    loadAverage: os.loadavg().map((l) => round(l, 2)),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    pglite: packageVersion("@electric-sql/pglite"),
    prisma: packageVersion("@prisma/client"),
    pgBoss: packageVersion("pg-boss"),
    commit: gitCommit(),
  };
}

function packageVersion(name: string): string {
  const file = path.resolve("node_modules", name, "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

function gitCommit(): string {
  try {
    const commit = execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();
    const dirty = execSync("git status --porcelain", { encoding: "utf8" }).trim() !== "";
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return "unknown";
  }
}

export interface Report {
  startedAt: string;
  command: string;
  size: string;
  /** Runs of each benchmark; figures are their median (issue #24). */
  runs: number;
  machine: Machine;
  remarks: string[];
  benchmarks: ({ name: string; title: string; seconds: number } & AggregateResult)[];
}

/** Each figure's ratio to its baseline, measured in the same run. */
export function withRatios(result: BenchmarkResult): BenchmarkResult {
  const baselines = new Map(result.baselines.map((b) => [b.key, b]));
  return {
    ...result,
    figures: result.figures.map((figure) => {
      const baseline = baselines.get(figure.baseline);
      if (!baseline) throw new Error(`figure "${figure.label}" names no baseline`);
      return { ...figure, ratio: round(figure.value / baseline.value, 3) };
    }),
  };
}

export function renderMarkdown(report: Report): string {
  const m = report.machine;
  const lines = [
    `# Benchmark report ${report.startedAt}`,
    "",
    `Command: \`${report.command}\` (size: ${report.size}, ${report.runs} run${report.runs === 1 ? "" : "s"} of each benchmark${report.runs > 1 ? ": figures are medians, goals judged on them" : ""})`,
    "",
    "| machine | |",
    "|---|---|",
    `| CPU | ${m.cpu} × ${m.cores} cores |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| load average at start (1, 5, 15 min) | ${m.loadAverage.join(", ")} |`,
    `| OS | ${m.os} |`,
    `| Node | ${m.node} |`,
    `| PGlite / Prisma / pg-boss | ${m.pglite} / ${m.prisma} / ${m.pgBoss} |`,
    `| commit | ${m.commit} |`,
    ...report.remarks.map((r) => `\n> ${r}`),
  ];
  for (const bench of report.benchmarks) {
    lines.push("", `## ${bench.title} (\`${bench.name}\`, ${bench.seconds} s)`, "");
    for (const [name, version] of Object.entries(bench.versions)) lines.push(`${name} ${version}.`);
    lines.push(...renderRuns(bench));
    lines.push("", "| baseline | value |", "|---|---:|");
    for (const b of bench.baselines) lines.push(`| ${b.description} | ${b.value} ${b.unit} |`);
    const several = bench.runs.length > 1;
    lines.push(
      "",
      several
        ? "| figure | median | min–max | each run | ratio to baseline (median) |"
        : "| figure | value | ratio to baseline |",
      several ? "|---|---:|---:|---|---:|" : "|---|---:|---:|",
    );
    for (const f of bench.figures) {
      const ratio = `${f.ratio} × ${f.baseline}`;
      lines.push(
        several
          ? `| ${f.label} | ${f.value} ${f.unit} | ${f.min}–${f.max} | ${f.runs.join(", ")} | ${ratio} |`
          : `| ${f.label} | ${f.value} ${f.unit} | ${ratio} |`,
      );
    }
    lines.push(
      "",
      several ? "| goal | target | median | each run | met |" : "| goal | target | met |",
      several ? "|---|---|---:|---|:--:|" : "|---|---|:--:|",
    );
    for (const g of bench.goals) {
      const met = g.met ? "yes" : "**no**";
      const each = g.runs.map((r) => (typeof r === "boolean" ? (r ? "met" : "not met") : r));
      lines.push(
        several
          ? `| ${g.label} | ${g.target} | ${g.check ? g.check.value : "–"} | ${each.join(", ")} | ${met} |`
          : `| ${g.label} | ${g.target} | ${met} |`,
      );
    }
    lines.push("", ...bench.details);
  }
  return `${lines.join("\n")}\n`;
}

/** How the machine was during each run: a run that started on a busy machine says so. */
function renderRuns(bench: AggregateResult): string[] {
  const lines = [
    "",
    `| run | seconds | idle before (2 s) | idle during | load (1 min) | |`,
    "|---:|---:|---:|---:|---:|---|",
  ];
  bench.runs.forEach((run, i) => {
    const flag = run.disturbed ? `**disturbed** (idle < ${QUIET_IDLE_SHARE} before start)` : "";
    lines.push(
      `| ${i + 1} | ${run.seconds} | ${run.idleBefore} | ${run.idleDuring} | ${run.loadAverage} | ${flag} |`,
    );
  });
  return lines;
}

export function writeReport(report: Report, dir = path.resolve("bench/results")) {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = report.startedAt.replace(/:/g, "").replace(/\.\d+Z$/, "Z");
  const base = path.join(dir, `${stamp}-${report.benchmarks.map((b) => b.name).join("+")}`);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, renderMarkdown(report));
  return { markdown: `${base}.md`, json: `${base}.json` };
}
