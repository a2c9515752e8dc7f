import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { promisify } from "node:util";
import { APP_CREDENTIALS } from "../harness/app-processes";
import { createThrowawayDatabase, postgresVersion } from "../harness/postgres";
import { sampleRss } from "../harness/rss";
import { round } from "../harness/stats";
import type { Benchmark } from "../harness/types";

const run = promisify(execFile);
const SHOP = "bench-history.myshopify.com";

/**
 * Issue 18: a store's history imported at install. The Shopify stand-in exports N customers and
 * M orders with the app's own bulk queries (a child process, not timed); a second child, the
 * worker, applies both result files with the import's own code on PostgreSQL, timed, its peak
 * RSS sampled. Baseline: `COPY` of the same rows (one per customer, one per order) into plain
 * tables, in the same run.
 */
export const importHistory: Benchmark = {
  name: "import",
  title: "History import at install (bulk results applied on PostgreSQL)",
  async run(context) {
    const customers = Number(
      process.env.BENCH_IMPORT_CUSTOMERS ?? (context.size === "quick" ? 2_000 : 100_000),
    );
    const orders = Number(process.env.BENCH_IMPORT_ORDERS ?? customers * 5);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-bench-import-"));
    const database = await createThrowawayDatabase(context.postgresUrl, "loyalty_bench_import");
    try {
      context.log(`the stand-in exports ${customers} customers and ${orders} orders`);
      const produced = performance.now();
      await run(
        process.execPath,
        [
          "--import",
          "tsx",
          "bench/history-import/produce.ts",
          dir,
          String(customers),
          String(orders),
        ],
        { maxBuffer: 1 << 24, env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=8192" } },
      );
      const sizes = ["customers", "orders"].map(
        (f) => fs.statSync(path.join(dir, `${f}.jsonl`)).size / 1e6,
      );
      context.log(
        `exported in ${round((performance.now() - produced) / 1000, 1)} s (${sizes.map((s) => round(s, 1)).join(" + ")} MB)`,
      );

      const started = performance.now();
      const { result, peakRss } = await applyInChild(dir, database.url);
      const seconds = (performance.now() - started) / 1000;
      context.log(
        `applied in ${round(seconds, 1)} s (customers ${round(result.seconds.customers, 1)} s, orders stored ${round(result.seconds.orders, 1)} s, valued ${round(result.seconds.valuing, 1)} s), peak RSS ${round(peakRss, 0)} MB`,
      );

      const copySeconds = await copyBaseline(dir, database.url);
      const rows = result.customers + result.orders;
      const applySeconds =
        result.seconds.customers + result.seconds.orders + result.seconds.valuing;
      const rowsPerSecond = rows / applySeconds;
      const copyRowsPerSecond = rows / copySeconds;
      context.log(`COPY baseline: ${round(copySeconds, 2)} s for ${rows} rows`);
      return {
        baselines: [
          {
            key: "copy",
            description: `COPY of the same ${rows} rows (customers: id, email; orders: id, customer, paid at, amount) into two plain tables, from CSV, one psql \\copy each`,
            value: round(copyRowsPerSecond, 0),
            unit: "rows/s",
          },
        ],
        figures: [
          {
            label: "customers applied",
            value: round(result.customers / result.seconds.customers, 0),
            unit: "customers/s",
            baseline: "copy",
          },
          {
            label: "orders applied (stored, then valued with their customers)",
            value: round(result.orders / (result.seconds.orders + result.seconds.valuing), 0),
            unit: "orders/s",
            baseline: "copy",
          },
          {
            label: "rows applied (customers and orders)",
            value: round(rowsPerSecond, 0),
            unit: "rows/s",
            baseline: "copy",
          },
        ],
        goals: [
          {
            label: "whole import (100,000 customers, 500,000 orders)",
            target: "≤ 10 min",
            met: customers >= 100_000 && seconds <= 600,
          },
          { label: "worker peak RSS", target: "≤ 512 MB", met: peakRss <= 512 },
          {
            label: "rows/s against COPY",
            target: "≥ 0.2",
            met: rowsPerSecond / copyRowsPerSecond >= 0.2,
          },
        ],
        details: [
          `| customers | orders | members | points awarded | problems | customers s | orders stored s | valued s | peak RSS MB |`,
          `| --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
          `| ${result.customers} | ${result.orders} | ${result.members} | ${result.points} | ${result.problems} | ${round(result.seconds.customers, 1)} | ${round(result.seconds.orders, 1)} | ${round(result.seconds.valuing, 1)} | ${round(peakRss, 0)} |`,
          `Result files: customers ${round(sizes[0]!, 1)} MB, orders ${round(sizes[1]!, 1)} MB (JSONL, line items as their own lines).`,
        ],
        versions: { postgres: await postgresVersion(database.url), node: process.version },
      };
    } finally {
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

interface Applied {
  seconds: { customers: number; orders: number; valuing: number };
  customers: number;
  orders: number;
  points: number;
  problems: number;
  members: number;
}

async function applyInChild(dir: string, databaseUrl: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/history-import/apply.ts", dir, SHOP],
    {
      env: {
        ...process.env,
        ...APP_CREDENTIALS,
        SHOPIFY_APP_URL: "https://loyalty-app.test",
        DATABASE_URL: databaseUrl,
        WORKERS: "off",
        LOG_LEVEL: "error",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const rss = sampleRss(child.pid!);
  let last = "";
  for await (const line of readline.createInterface({ input: child.stdout })) last = line;
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const peakRss = rss.stop();
  if (code !== 0) throw new Error(`the import child exited with ${code}`);
  return { result: JSON.parse(last) as Applied, peakRss };
}

/** The same customers and orders as CSV, then one timed `\copy` per table. */
async function copyBaseline(dir: string, databaseUrl: string): Promise<number> {
  const customers: string[] = [];
  const orders: string[] = [];
  for (const [file, out] of [
    ["customers", customers],
    ["orders", orders],
  ] as const) {
    const lines = readline.createInterface({
      input: fs.createReadStream(path.join(dir, `${file}.jsonl`)),
    });
    for await (const line of lines) {
      const row = JSON.parse(line) as Record<string, unknown>;
      if (row.__parentId) continue;
      const id = String(row.id).split("/").pop();
      if (file === "customers") out.push(`${id},${row.email ?? ""}`);
      else {
        const customer = (row.customer as { id?: string } | null)?.id?.split("/").pop() ?? "";
        const amount = (row.totalTaxSet as { shopMoney: { amount: string } }).shopMoney.amount;
        out.push(`${id},${customer},${row.processedAt},${amount}`);
      }
    }
  }
  fs.writeFileSync(path.join(dir, "customers.csv"), customers.join("\n"));
  fs.writeFileSync(path.join(dir, "orders.csv"), orders.join("\n"));
  const psql = (sql: string) => run("psql", [databaseUrl, "-v", "ON_ERROR_STOP=1", "-c", sql]);
  await psql(
    "CREATE TABLE copy_customers (id bigint, email text); CREATE TABLE copy_orders (id bigint, customer bigint, paid_at timestamptz, amount numeric)",
  );
  const started = performance.now();
  await psql(`\\copy copy_customers FROM '${path.join(dir, "customers.csv")}' CSV`);
  await psql(`\\copy copy_orders FROM '${path.join(dir, "orders.csv")}' CSV`);
  return (performance.now() - started) / 1000;
}
