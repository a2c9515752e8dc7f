import path from "node:path";
import pg from "pg";
import { LOG_DIR, startWebServer, startWorker } from "../harness/app-processes";
import { cpuProfileOptions, summariseProfiles, topFunctions } from "../harness/cpu-profile";
import { paidOrders, storeFor } from "../harness/orders";
import { createThrowawayDatabase, postgresVersion } from "../harness/postgres";
import {
  HARNESS_APPLICATION_NAME,
  PhaseProfiler,
  postgresGroups,
  processGroup,
  processTreeGroup,
  renderProfiles,
  statementStatsAvailable,
  type PhaseProfile,
} from "../harness/resource-profile";
import { median, percentile, round } from "../harness/stats";
import type { Benchmark, Goal } from "../harness/types";
import { WebhookSender, type OutgoingWebhook } from "../harness/webhook-load";

const SHOP = "bench-ingest.myshopify.com";

interface Step {
  offered: number;
  orders: number;
  ackP50: number;
  ackP99: number;
  processedPerSecond: number;
  /** From the last webhook's scheduled send to the last delivery committed. */
  drainSeconds: number;
  keptUp: boolean;
  errors: number;
}

/**
 * Order ingest: signed orders/paid webhooks over HTTP into `npm start` + `npm run worker` on
 * PostgreSQL, until the ledger entries and events are committed. Baseline: the same number of
 * single-row INSERT transactions from Node on the same server (its commit rate on this machine).
 */
export const ingest: Benchmark = {
  name: "ingest",
  title: "Order ingest (orders/paid → ledger + events)",
  async run(context) {
    const quick = context.size === "quick";
    // Starts low so a sustained rate is found on a busy machine; stops at the first rate it cannot keep.
    const rates = quick ? [25, 50, 100] : [25, 50, 100, 200, 400, 600, 800, 1200];
    const stepSeconds = quick ? 3 : 8;
    const saturationOrders = quick ? 500 : 2000;
    const concurrency = 32;

    const database = await createThrowawayDatabase(context.postgresUrl, "loyalty_bench");
    const pool = new pg.Pool({
      connectionString: database.url,
      max: 10,
      application_name: HARNESS_APPLICATION_NAME,
    });
    // The profiler's own connection reads pg_stat_* and /proc; its backend is counted nowhere.
    const statsClient = new pg.Client({
      connectionString: database.url,
      application_name: "bench-profiler",
    });
    await statsClient.connect();
    const statementStats = await statementStatsAvailable(statsClient);
    const profiles = {
      web: path.join(LOG_DIR, "profile-web"),
      worker: path.join(LOG_DIR, "profile-worker"),
    };
    const profiling = process.env.BENCH_PROFILE === "1";
    const web = await startWebServer({
      databaseUrl: database.url,
      name: "bench-web",
      env: profiling ? cpuProfileOptions(profiles.web) : {},
    });
    // BENCH_WORKERS=2 runs two worker processes claiming from the same deliveries (ADR 0034).
    const workerCount = Math.max(1, Number(process.env.BENCH_WORKERS ?? 1) || 1);
    const workers = await Promise.all(
      Array.from({ length: workerCount }, (_, i) =>
        startWorker({
          databaseUrl: database.url,
          name: workerCount === 1 ? "bench-worker" : `bench-worker-${i + 1}`,
          env: profiling ? cpuProfileOptions(profiles.worker) : {},
        }),
      ),
    );
    const worker = { stop: () => Promise.all(workers.map((w) => w.stop())).then(() => undefined) };
    let profileLines: string[] = [];
    const phaseProfiles: PhaseProfile[] = [];
    const profiler = (phase: string) =>
      new PhaseProfiler(
        phase,
        statsClient,
        database.name,
        [
          processTreeGroup("app server (npm start)", web.child.pid),
          ...workers.map((w, i) =>
            processTreeGroup(
              workers.length === 1 ? "worker (npm run worker)" : `worker ${i + 1}`,
              w.child.pid,
            ),
          ),
          ...postgresGroups(statsClient, database.name),
          processGroup("load generator (this bench process: sender, signing, polls, sampler)", [
            process.pid,
          ]),
        ],
        { statements: statementStats.available },
      );
    const sender = new WebhookSender(web.url, SHOP, 64);
    try {
      const store = storeFor(SHOP);
      const totalOrders =
        200 + rates.reduce((n, r) => n + r * stepSeconds, 0) + 3 * saturationOrders;
      const all = paidOrders(store, {
        count: totalOrders,
        customers: 5000,
        seed: 42,
        webhookPrefix: "bench",
      });
      let cursor = 0;
      const take = (n: number) => all.slice(cursor, (cursor += n));
      let processed = 0;
      const drain = async (batch: OutgoingWebhook[], startedAt: number, timeoutMs: number) => {
        processed += batch.length;
        return waitForProcessed(pool, processed, startedAt, timeoutMs);
      };

      context.log("warming up (200 orders)");
      const warmStart = Date.now();
      const warm = take(200);
      await sender.sendWithConcurrency(warm, 8);
      await drain(warm, warmStart, 120_000);

      context.log("baseline: raw single-row INSERT transactions");
      const raw = [];
      for (let run = 0; run < 3; run++) raw.push(await rawInsertRate(pool, saturationOrders, 10));
      const rawRate = median(raw.map((r) => r.perSecond));
      const rawLatency = median(raw.map((r) => r.medianMs));

      const steps: Step[] = [];
      const stepsProfile = profiler("rate steps");
      await stepsProfile.start();
      let stepOrders = 0;
      for (const rate of rates) {
        const batch = take(rate * stepSeconds);
        stepOrders += batch.length;
        context.log(`offering ${rate} orders/s for ${stepSeconds} s (${batch.length} orders)`);
        const startedAt = Date.now();
        const results = await sender.sendAtRate(batch, rate);
        const done = await drain(batch, startedAt, 10 * stepSeconds * 1000);
        const seconds = (done.lastProcessedAt - startedAt) / 1000;
        const processedPerSecond = batch.length / seconds;
        const drainSeconds = seconds - stepSeconds;
        const latencies = results.map((r) => r.latencyMs);
        steps.push({
          offered: rate,
          orders: batch.length,
          ackP50: percentile(latencies, 50),
          ackP99: percentile(latencies, 99),
          processedPerSecond,
          drainSeconds,
          // Kept up: the last order was committed soon after it was sent, so no backlog built up.
          keptUp: drainSeconds <= 1 + 0.1 * stepSeconds,
          errors: results.filter((r) => r.status !== 200).length,
        });
        context.log(`  → ${JSON.stringify(steps.at(-1))}`);
        if (drainSeconds > stepSeconds / 2) break; // the backlog only grows from here
      }
      phaseProfiles.push(await stepsProfile.stop(stepOrders));

      context.log(`saturation: ${saturationOrders} orders, ${concurrency} concurrent senders, ×3`);
      const saturation = [];
      const saturationProfile = profiler("saturation");
      await saturationProfile.start();
      for (let run = 0; run < 3; run++) {
        const batch = take(saturationOrders);
        const startedAt = Date.now();
        const results = await sender.sendWithConcurrency(batch, concurrency);
        const acked = (Date.now() - startedAt) / 1000;
        const done = await drain(batch, startedAt, 600_000);
        const latencies = results.map((r) => r.latencyMs);
        saturation.push({
          ackPerSecond: batch.length / acked,
          processedPerSecond: batch.length / ((done.lastProcessedAt - startedAt) / 1000),
          ackP50: percentile(latencies, 50),
          ackP99: percentile(latencies, 99),
        });
        context.log(`  → ${JSON.stringify(saturation.at(-1))}`);
      }
      phaseProfiles.push(await saturationProfile.stop(3 * saturationOrders));

      const integrity = await checkIntegrity(pool, processed);
      if (profiling) {
        await Promise.all([worker.stop(), web.stop()]);
        profileLines = [
          "",
          "CPU profile of the whole run (BENCH_PROFILE=1, `node --cpu-prof`, self time by package):",
          "",
          ...summariseProfiles(profiles.web, "web process (npm start)"),
          "",
          ...summariseProfiles(
            profiles.worker,
            workerCount === 1
              ? "worker process (npm run worker)"
              : `${workerCount} worker processes`,
          ),
          "",
          ...topFunctions(profiles.worker, workerCount === 1 ? "worker" : "workers"),
          "",
          ...topFunctions(profiles.web, "web process"),
        ];
      }
      const sustainedSteps = steps.filter((s) => s.keptUp && s.errors === 0);
      const sustained = Math.max(0, ...sustainedSteps.map((s) => s.offered));
      const atSustained = sustainedSteps.at(-1);
      const saturated = median(saturation.map((s) => s.processedPerSecond));
      const ackP99 = atSustained?.ackP99 ?? Number.NaN;

      // CPU per order at saturation: the app, the workers and PostgreSQL's backends together.
      const saturationCpu = phaseProfiles.find((p) => p.phase === "saturation");
      const cpuMsPerOrder = saturationCpu
        ? round(
            (1000 * saturationCpu.cpu.reduce((sum, group) => sum + group.seconds, 0)) /
              saturationCpu.orders,
            2,
          )
        : Number.NaN;
      const goals: Goal[] = [
        {
          label: "sustained orders/s",
          target: "≥ 500",
          met: sustained >= 500,
          check: { value: sustained, atLeast: 500 },
        },
        {
          label: "p99 acknowledgement at the sustained rate",
          target: "≤ 50 ms",
          met: ackP99 <= 50,
          check: { value: ackP99, atMost: 50 },
        },
        {
          label: "sustained ÷ raw insert-transaction rate",
          target: "≥ 0.25",
          met: sustained / rawRate >= 0.25,
          check: { value: round(sustained / rawRate, 3), atLeast: 0.25 },
        },
        {
          label: "CPU per order at saturation (app, workers and PostgreSQL)",
          target: "≤ 2.5 ms",
          met: cpuMsPerOrder <= 2.5,
          check: { value: cpuMsPerOrder, atMost: 2.5 },
        },
        {
          label: "every order exactly once (ledger entries, events)",
          target: "= orders sent",
          met: integrity.ok,
        },
      ];
      return {
        baselines: [
          {
            key: "raw-insert",
            description: `${saturationOrders} single-row INSERT transactions (autocommit, the order JSON as a jsonb row) from Node, 10 connections; median of 3`,
            value: round(rawRate, 0),
            unit: "tx/s",
          },
          {
            key: "raw-insert-latency",
            description: "median latency of one of those INSERT transactions",
            value: round(rawLatency, 3),
            unit: "ms",
          },
        ],
        figures: [
          {
            label: "sustained orders/s (highest offered rate kept up with, no backlog left)",
            value: round(sustained, 0),
            unit: "orders/s",
            baseline: "raw-insert",
          },
          {
            label: "saturated orders/s (32 concurrent senders, median of 3)",
            value: round(saturated, 0),
            unit: "orders/s",
            baseline: "raw-insert",
          },
          {
            label: "ack p50 at the sustained rate",
            value: round(atSustained?.ackP50 ?? Number.NaN, 1),
            unit: "ms",
            baseline: "raw-insert-latency",
          },
          {
            label: "ack p99 at the sustained rate",
            value: round(ackP99, 1),
            unit: "ms",
            baseline: "raw-insert-latency",
          },
        ],
        goals,
        details: [
          "| offered orders/s | orders | ack p50 ms | ack p99 ms | processed orders/s | backlog drained after s | kept up | non-200 |",
          "|---:|---:|---:|---:|---:|---:|:--:|---:|",
          ...steps.map(
            (s) =>
              `| ${s.offered} | ${s.orders} | ${round(s.ackP50, 1)} | ${round(s.ackP99, 1)} | ${round(s.processedPerSecond, 0)} | ${round(s.drainSeconds, 1)} | ${s.keptUp ? "yes" : "no"} | ${s.errors} |`,
          ),
          "",
          "| saturation run | acknowledged/s | processed orders/s | ack p50 ms | ack p99 ms |",
          "|---:|---:|---:|---:|---:|",
          ...saturation.map(
            (s, i) =>
              `| ${i + 1} | ${round(s.ackPerSecond, 0)} | ${round(s.processedPerSecond, 0)} | ${round(s.ackP50, 1)} | ${round(s.ackP99, 1)} |`,
          ),
          "",
          `Integrity: ${integrity.orders} orders sent, ${integrity.deliveries} deliveries processed, ${integrity.entries} ledger entries, ${integrity.duplicateKeys} duplicate idempotency keys, ${integrity.events} loyalty events.`,
          "Processed = the delivery's processedAt, committed with its ledger entry and events; measured from the first webhook sent.",
          `Worker processes: ${workerCount}.`,
          "",
          ...renderProfiles(phaseProfiles, statementStats),
          ...profileLines,
        ],
        versions: { PostgreSQL: await postgresVersion(database.url) },
      };
    } finally {
      sender.close();
      await worker.stop();
      await web.stop();
      await pool.end();
      await statsClient.end();
      await database.drop();
    }
  },
};

async function waitForProcessed(
  pool: pg.Pool,
  expected: number,
  startedAt: number,
  timeoutMs: number,
) {
  const deadline = startedAt + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ processed: string; last: Date | null }>(
      `SELECT count(*) AS processed, max("processedAt") AS last
       FROM "WebhookDelivery" WHERE "processedAt" IS NOT NULL`,
    );
    const row = rows[0]!;
    if (Number(row.processed) >= expected) {
      return { lastProcessedAt: row.last?.getTime() ?? Date.now() };
    }
    if (Date.now() > deadline) {
      throw new Error(`only ${row.processed} of ${expected} deliveries processed in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function rawInsertRate(pool: pg.Pool, count: number, connections: number) {
  await pool.query(
    "CREATE TABLE IF NOT EXISTS bench_raw_insert (id bigserial PRIMARY KEY, body jsonb NOT NULL)",
  );
  await pool.query("TRUNCATE bench_raw_insert");
  const body = JSON.stringify({ id: 1, line_items: [{ price: "10.00", quantity: 1 }] });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < count) {
        next++;
        const t = performance.now();
        await pool.query("INSERT INTO bench_raw_insert (body) VALUES ($1)", [body]);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: count / ((performance.now() - started) / 1000), medianMs: median(latencies) };
}

async function checkIntegrity(pool: pg.Pool, orders: number) {
  const one = async (sql: string) => Number((await pool.query(sql)).rows[0].n);
  const deliveries = await one(
    `SELECT count(*) AS n FROM "WebhookDelivery" WHERE "processedAt" IS NOT NULL`,
  );
  const entries = await one(`SELECT count(*) AS n FROM "LedgerEntry" WHERE kind = 'earn'`);
  const duplicateKeys = await one(
    `SELECT count(*) AS n FROM (SELECT 1 FROM "LedgerEntry" GROUP BY "shopId", "idempotencyKey" HAVING count(*) > 1) d`,
  );
  const events = await one(`SELECT count(*) AS n FROM "LoyaltyEvent"`);
  return {
    orders,
    deliveries,
    entries,
    duplicateKeys,
    events,
    ok: deliveries === orders && entries === orders && duplicateKeys === 0 && events >= orders,
  };
}
