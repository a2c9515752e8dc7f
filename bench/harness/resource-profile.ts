import { execSync } from "node:child_process";
import fs from "node:fs";
import type pg from "pg";
import { round } from "./stats";

/**
 * "Where the time goes" for one phase of a benchmark (issue #9): CPU seconds of each process group
 * read from /proc/<pid>/stat (utime + stime, in clock ticks of `getconf CLK_TCK`), the machine's
 * busy share from /proc/stat, and the database's transaction and row counters (pg_stat_database,
 * pg_stat_user_tables) as deltas over the phase, all from the same run as the figures.
 */

/** Application name of the harness's own connections, so their backends are counted apart. */
export const HARNESS_APPLICATION_NAME = "bench-harness";

const CLOCK_TICKS = (() => {
  try {
    return Number(execSync("getconf CLK_TCK", { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  ppid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

/** Fields 4 (ppid), 14 (utime) and 15 (stime) of /proc/<pid>/stat; undefined once it exited. */
function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ")".
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
}

/** `root` and every process below it (tsx starts the app in a child of its own). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
function machineTicks() {
  const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.slice(1, 9).map(Number);
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait!, iowait: iowait! };
}

export interface ProcessGroup {
  label: string;
  /** The pids of the group now (the set may change: pool connections come and go). */
  pids(): Promise<number[]> | number[];
}

/** The PostgreSQL processes one database's activity runs in, grouped by what they serve. */
export function postgresGroups(client: pg.Client, database: string): ProcessGroup[] {
  let cached: { at: number; rows: { pid: number; kind: string }[] } | undefined;
  const rows = async () => {
    if (cached && Date.now() - cached.at < 50) return cached.rows;
    const result = await client.query<{ pid: number; kind: string }>(
      `SELECT pid, CASE
          WHEN datname = $1 AND backend_type = 'client backend' AND application_name = $2
            THEN 'harness'
          WHEN datname = $1 AND backend_type = 'client backend' THEN 'app'
          WHEN datname = $1 THEN 'autovacuum'
          WHEN datname IS NULL AND backend_type IN ('walwriter', 'checkpointer', 'background writer')
            THEN 'server'
          ELSE 'other' END AS kind
       FROM pg_stat_activity WHERE pid <> pg_backend_pid()`,
      [database, HARNESS_APPLICATION_NAME],
    );
    cached = { at: Date.now(), rows: result.rows };
    return result.rows;
  };
  const of = (kind: string) => async () =>
    (await rows()).filter((r) => r.kind === kind).map((r) => r.pid);
  return [
    {
      label: "PostgreSQL backends serving the app (web + worker connections, summed)",
      pids: of("app"),
    },
    { label: "PostgreSQL autovacuum on the bench database", pids: of("autovacuum") },
    {
      label:
        "PostgreSQL WAL writer, checkpointer, bgwriter (server-wide, shared with other databases)",
      pids: of("server"),
    },
    { label: "PostgreSQL backends of the harness's progress polls", pids: of("harness") },
  ];
}

/** The process `pid` and its descendants (read once: the app's processes do not fork later). */
export function processTreeGroup(label: string, pid: number | undefined): ProcessGroup {
  let tree: number[] | undefined;
  return { label, pids: () => (pid === undefined ? [] : (tree ??= processTree(pid))) };
}

/** Exactly these processes, without their children. */
export function processGroup(label: string, pids: number[]): ProcessGroup {
  return { label, pids: () => pids };
}

interface Counters {
  database: Record<string, number>;
  tables: Map<string, { inserted: number; updated: number; deleted: number }>;
}

async function readCounters(client: pg.Client, database: string): Promise<Counters> {
  await client.query("SELECT pg_stat_clear_snapshot()");
  const db = await client.query<Record<string, string>>(
    `SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_fetched,
       tup_returned, blks_read, blks_hit
     FROM pg_stat_database WHERE datname = $1`,
    [database],
  );
  const tables = await client.query<{ name: string; ins: string; upd: string; del: string }>(
    `SELECT relname AS name, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del
     FROM pg_stat_user_tables`,
  );
  return {
    database: Object.fromEntries(Object.entries(db.rows[0] ?? {}).map(([k, v]) => [k, Number(v)])),
    tables: new Map(
      tables.rows.map((t) => [
        t.name,
        { inserted: Number(t.ins), updated: Number(t.upd), deleted: Number(t.del) },
      ]),
    ),
  };
}

/** Whether pg_stat_statements can be read, and if not, PostgreSQL's reason. */
export async function statementStatsAvailable(client: pg.Client) {
  try {
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    await client.query("SELECT 1 FROM pg_stat_statements LIMIT 1");
    return { available: true as const };
  } catch (error) {
    return { available: false as const, reason: (error as Error).message };
  }
}

export interface PhaseProfile {
  phase: string;
  orders: number;
  wallSeconds: number;
  cores: number;
  /** CPU seconds per group over the phase. */
  cpu: { label: string; seconds: number }[];
  /** The whole machine's busy CPU seconds (every process, other sessions included). */
  machineBusySeconds: number;
  machineIowaitSeconds: number;
  database: Record<string, number>;
  tables: { name: string; inserted: number; updated: number; deleted: number }[];
  statements?: { query: string; calls: number; totalMs: number; rows: number }[];
}

/**
 * Measures one phase: call `start()`, do the work, then `stop(orders)`. The groups' pids are
 * sampled every `intervalMs` so a process that exits in between (a pool connection closed) keeps
 * the CPU it used up to its last sample; a process first seen during the phase counts from zero.
 */
export class PhaseProfiler {
  private first = new Map<string, Map<number, number>>();
  private last = new Map<string, Map<number, number>>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private machineAtStart = machineTicks();
  private countersAtStart: Counters | undefined;
  private sampling: Promise<void> = Promise.resolve();

  constructor(
    private readonly phase: string,
    private readonly client: pg.Client,
    private readonly database: string,
    private readonly groups: ProcessGroup[],
    private readonly options: { intervalMs?: number; statements?: boolean } = {},
  ) {}

  async start() {
    if (this.options.statements) await this.client.query("SELECT pg_stat_statements_reset()");
    // The previous phase's backends send their counters once idle (at most once a second).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    this.countersAtStart = await readCounters(this.client, this.database);
    await this.sample(true);
    this.startedAt = performance.now();
    this.machineAtStart = machineTicks();
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample(false)).catch(() => undefined);
    }, this.options.intervalMs ?? 200);
  }

  private async sample(initial: boolean) {
    for (const group of this.groups) {
      const first = this.first.get(group.label) ?? new Map<number, number>();
      const last = this.last.get(group.label) ?? new Map<number, number>();
      for (const pid of await group.pids()) {
        const stat = readStat(pid);
        if (!stat) continue;
        if (!first.has(pid)) first.set(pid, initial ? stat.ticks : 0);
        last.set(pid, stat.ticks);
      }
      this.first.set(group.label, first);
      this.last.set(group.label, last);
    }
  }

  async stop(orders: number): Promise<PhaseProfile> {
    clearInterval(this.timer);
    await this.sampling;
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const machine = machineTicks();
    await this.sample(false);
    // Backends send their table and transaction counters when idle (at most once a second).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const counters = await readCounters(this.client, this.database);
    const before = this.countersAtStart!;
    const cpu = this.groups.map((group) => {
      const first = this.first.get(group.label) ?? new Map<number, number>();
      let ticks = 0;
      for (const [pid, value] of this.last.get(group.label) ?? []) {
        ticks += value - (first.get(pid) ?? 0);
      }
      return { label: group.label, seconds: ticks / CLOCK_TICKS };
    });
    const tables = [...counters.tables].map(([name, now]) => {
      const then = before.tables.get(name) ?? { inserted: 0, updated: 0, deleted: 0 };
      return {
        name,
        inserted: now.inserted - then.inserted,
        updated: now.updated - then.updated,
        deleted: now.deleted - then.deleted,
      };
    });
    const statements = this.options.statements
      ? (
          await this.client.query<{ query: string; calls: string; ms: number; rows: string }>(
            `SELECT s.query, s.calls, s.total_exec_time AS ms, s.rows FROM pg_stat_statements s
             JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1
             ORDER BY s.calls DESC LIMIT 15`,
            [this.database],
          )
        ).rows.map((s) => ({
          query: s.query,
          calls: Number(s.calls),
          totalMs: s.ms,
          rows: Number(s.rows),
        }))
      : undefined;
    return {
      phase: this.phase,
      orders,
      wallSeconds,
      cores: cpuCount(),
      cpu,
      machineBusySeconds: (machine.busy - this.machineAtStart.busy) / CLOCK_TICKS,
      machineIowaitSeconds: (machine.iowait - this.machineAtStart.iowait) / CLOCK_TICKS,
      database: Object.fromEntries(
        Object.entries(counters.database).map(([k, v]) => [k, v - (before.database[k] ?? 0)]),
      ),
      tables: tables
        .filter((t) => t.inserted + t.updated + t.deleted > 0)
        .sort((a, b) => b.inserted + b.updated + b.deleted - (a.inserted + a.updated + a.deleted)),
      statements,
    };
  }
}

function cpuCount() {
  return fs
    .readFileSync("/proc/cpuinfo", "utf8")
    .split("\n")
    .filter((line) => line.startsWith("processor")).length;
}

const ms = (seconds: number, orders: number) => round((1000 * seconds) / orders, 2);

/**
 * The profile as Markdown: CPU ms per order per process group, what the machine had, which
 * resource is the ceiling (stated from the numbers), transactions and rows per order per table.
 */
export function renderProfiles(
  profiles: PhaseProfile[],
  statementStats: { available: boolean; reason?: string },
): string[] {
  if (profiles.length === 0) return [];
  const header = `| CPU ms per order | ${profiles.map((p) => `${p.phase} (${p.orders} orders, ${round(p.wallSeconds, 1)} s)`).join(" | ")} |`;
  const align = `|---|${profiles.map(() => "---:").join("|")}|`;
  const labels = profiles[0]!.cpu.map((c) => c.label);
  const ours = (p: PhaseProfile) => p.cpu.reduce((sum, c) => sum + c.seconds, 0);
  const lines = [
    "### Where the time goes",
    "",
    "CPU time of each process from `/proc/<pid>/stat` (utime + stime ÷ `getconf CLK_TCK`), sampled every 200 ms, over each phase (from the first webhook sent until the last delivery committed); database counters are `pg_stat_database` / `pg_stat_user_tables` deltas over the same phase.",
    "",
    header,
    align,
    ...labels.map(
      (label, i) =>
        `| ${label} | ${profiles.map((p) => ms(p.cpu[i]!.seconds, p.orders)).join(" | ")} |`,
    ),
    `| **this benchmark's processes, summed** | ${profiles.map((p) => `**${ms(ours(p), p.orders)}**`).join(" | ")} |`,
    `| everything else on the machine (other sessions, CI) | ${profiles.map((p) => ms(Math.max(0, p.machineBusySeconds - ours(p)), p.orders)).join(" | ")} |`,
    `| machine busy share (all ${profiles[0]!.cores} cores, /proc/stat) | ${profiles.map((p) => `${round((100 * p.machineBusySeconds) / (p.wallSeconds * p.cores), 0)} %`).join(" | ")} |`,
    `| machine iowait share | ${profiles.map((p) => `${round((100 * p.machineIowaitSeconds) / (p.wallSeconds * p.cores), 0)} %`).join(" | ")} |`,
    `| PostgreSQL transactions committed per order (xact_commit) | ${profiles.map((p) => round((p.database.xact_commit ?? 0) / p.orders, 2)).join(" | ")} |`,
    `| PostgreSQL transactions rolled back per order | ${profiles.map((p) => round((p.database.xact_rollback ?? 0) / p.orders, 2)).join(" | ")} |`,
    `| rows inserted / updated / deleted per order (whole database) | ${profiles.map((p) => `${round((p.database.tup_inserted ?? 0) / p.orders, 2)} / ${round((p.database.tup_updated ?? 0) / p.orders, 2)} / ${round((p.database.tup_deleted ?? 0) / p.orders, 2)}`).join(" | ")} |`,
    `| rows fetched / returned per order (index and sequential reads) | ${profiles.map((p) => `${round((p.database.tup_fetched ?? 0) / p.orders, 1)} / ${round((p.database.tup_returned ?? 0) / p.orders, 1)}`).join(" | ")} |`,
    "",
  ];
  for (const p of profiles) {
    lines.push(
      `| ${p.phase}: rows per order by table | inserted | updated | deleted |`,
      "|---|---:|---:|---:|",
      ...p.tables
        .slice(0, 10)
        .map(
          (t) =>
            `| ${t.name} | ${round(t.inserted / p.orders, 2)} | ${round(t.updated / p.orders, 2)} | ${round(t.deleted / p.orders, 2)} |`,
        ),
      "",
    );
    if (p.statements) {
      lines.push(
        `| ${p.phase}: pg_stat_statements, most called | calls per order | ms per call |`,
        "|---|---:|---:|",
        ...p.statements.map(
          (s) =>
            `| \`${s.query.replace(/\s+/g, " ").slice(0, 120).replace(/\|/g, "\\|")}\` | ${round(s.calls / p.orders, 2)} | ${round(s.totalMs / Math.max(1, s.calls), 3)} |`,
        ),
        "",
      );
    }
  }
  if (!statementStats.available) {
    lines.push(
      `pg_stat_statements is not readable on this server without a restart (\`${statementStats.reason}\`; it is not in \`shared_preload_libraries\`), so statements are not counted here: the table and transaction counters above stand in for them.`,
      "",
    );
  }
  lines.push(...ceilingSentence(profiles.at(-1)!));
  return lines;
}

/** Which resource limits the phase, said plainly from its own numbers. */
function ceilingSentence(p: PhaseProfile): string[] {
  const ours = p.cpu.reduce((sum, c) => sum + c.seconds, 0);
  const perOrder = (1000 * ours) / p.orders;
  const busyShare = p.machineBusySeconds / (p.wallSeconds * p.cores);
  const largest = [...p.cpu].sort((a, b) => b.seconds - a.seconds)[0]!;
  const achieved = p.orders / p.wallSeconds;
  const bound = (1000 * p.cores) / perOrder;
  const verdict =
    busyShare >= 0.85
      ? `**The ceiling is CPU**: the ${p.cores} cores were ${round(100 * busyShare, 0)} % busy during the ${p.phase} phase`
      : `The ${p.cores} cores were only ${round(100 * busyShare, 0)} % busy during the ${p.phase} phase, so CPU was not the only limit (waits — commits, locks, round trips — were)`;
  return [
    `${verdict}. Each order cost **${round(perOrder, 2)} ms of CPU** in this benchmark's processes (the largest share, ${round((1000 * largest.seconds) / p.orders, 2)} ms, in ${largest.label}), so even with nothing else running the ${p.cores} cores allow at most ${round(bound, 0)} orders/s; this phase processed ${round(achieved, 0)} orders/s, with other processes on the machine using ${round(Math.max(0, p.machineBusySeconds - ours) / p.wallSeconds, 2)} cores meanwhile.`,
  ];
}
