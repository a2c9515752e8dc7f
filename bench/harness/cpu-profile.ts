import fs from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Node's `--cpu-prof` for a child process, written to `dir` when it exits (BENCH_PROFILE=1). */
export function cpuProfileOptions(dir: string): Record<string, string> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --cpu-prof --cpu-prof-dir=${dir}` };
}

/** Where a package's code is: `@prisma/client`, `pg`, `app`, `wasm`, `(idle)`, … */
function bucketOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (url.startsWith("wasm://")) return "WebAssembly (Prisma's query compiler)";
  const inModules = url.split("node_modules/").at(-1);
  if (inModules && inModules !== url) {
    const parts = inModules.split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.includes("/app/")) return "app/";
  if (url.startsWith("node:")) return "Node internals";
  if (!url) return functionName.startsWith("(") ? functionName : `(${functionName || "native"})`;
  return path.relative(process.cwd(), url.replace("file://", "")).split("/")[0] ?? url;
}

/** Self time per package over every profile in `dir`, as Markdown table rows, largest first. */
export function summariseProfiles(dir: string, label: string, top = 10): string[] {
  if (!fs.existsSync(dir)) return [];
  const totals = new Map<string, number>();
  let all = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const micros = profile.timeDeltas[i] ?? 0;
      const bucket = bucketOf(nodes.get(id)!);
      totals.set(bucket, (totals.get(bucket) ?? 0) + micros);
      all += micros;
    });
  }
  const busy = all - (totals.get("(idle)") ?? 0);
  return [
    `| ${label}: where the CPU went | seconds | share of busy time |`,
    "|---|---:|---:|",
    ...[...totals]
      .filter(([bucket]) => bucket !== "(idle)" && bucket !== "(program)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([bucket, micros]) =>
          `| ${bucket} | ${(micros / 1e6).toFixed(1)} | ${((100 * micros) / busy).toFixed(0)} % |`,
      ),
    `| idle (waiting for the database or for work) | ${((totals.get("(idle)") ?? 0) / 1e6).toFixed(1)} | |`,
  ];
}

/** Self time per function over every profile in `dir`, as Markdown table rows, largest first. */
export function summariseFunctions(dir: string, label: string, top = 15): string[] {
  if (!fs.existsSync(dir)) return [];
  const totals = new Map<string, number>();
  let busy = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const { functionName, url } = nodes.get(id)!.callFrame;
      if (functionName === "(idle)" || functionName === "(program)") return;
      const micros = profile.timeDeltas[i] ?? 0;
      const where = url ? ` (${url.split("/").slice(-2).join("/")})` : "";
      const key = `${functionName || "(anonymous)"}${where}`;
      totals.set(key, (totals.get(key) ?? 0) + micros);
      busy += micros;
    });
  }
  return [
    `| ${label}: functions by self time | seconds | share of busy time |`,
    "|---|---:|---:|",
    ...[...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, micros]) =>
          `| ${name.replace(/\|/g, "\\|")} | ${(micros / 1e6).toFixed(2)} | ${((100 * micros) / busy).toFixed(0)} % |`,
      ),
    `| busy in total | ${(busy / 1e6).toFixed(1)} | |`,
  ];
}
