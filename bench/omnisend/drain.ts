/**
 * Omnisend drain: a backlog of N loyalty events (100,000 by default) sent by the app's drain
 * through the Omnisend stand-in, one `POST /events` each (Omnisend has no bulk endpoint), against
 * the fastest schedule Omnisend's sliding window allows for the same requests.
 *
 * The window is time-scaled. Omnisend allows 400 requests per brand in any 60 s, so at real time
 * 100,000 events take over four hours. Both the app's limiter and the stand-in use
 * { requests: 400, windowMs: 60,000 / SCALE } instead: the count per window and the sliding-window
 * logic are Omnisend's, only the clock runs SCALE times faster. What is measured is unchanged: how
 * closely the limiter packs requests into the window without a 429, and whether the pipeline
 * (read a round, build contacts, send, record) keeps up with the pace the window sets. A faster
 * window is the harder test of the latter: the app has SCALE times less time per round.
 *
 *   npx tsx bench/omnisend/drain.ts [N] [SCALE]   (SCALE: else BENCH_OMNISEND_SCALE, else 40)
 *
 * A small warm-up drain of another shop (another brand, its own limiter) goes first: a worker is
 * warm when a real backlog arrives. The stand-in's window is then emptied, so the measured drain
 * starts as the only one in its window. Run as its own process (`npm run bench -- omnisend` does):
 * it points the app's modules at a throwaway database through the environment. Progress goes to
 * stderr, the figures (JSON) to stdout.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { OmnisendClient } from "~/integrations/omnisend";
import { seed } from "./drain-seed";
import { resetStandIn, standInStats, startStandIn, type StandInStats } from "./stand-in-ipc";

/**
 * 60 s / 40 = a 1.5 s window, 267 requests/s: the drain takes about 6¼ minutes. On a 2-core
 * machine (app, stand-in and PostgreSQL sharing it) a burst of 400 sends took about 850 ms, so the
 * pipeline keeps up with room; at 80 (a 750 ms window) it no longer filled every window.
 */
export const DEFAULT_SCALE = 40;
export const LIMIT_REQUESTS = 400;
const WARM_UP_EVENTS = 800;
const SERVER = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type DrainFigures = {
  n: number;
  scale: number;
  windowMs: number;
  seconds: number;
  /** Bursts of 400 at 0, W, 2W…: the last burst starts at (ceil(n/400) − 1) × W, taken as the end. */
  minimumSeconds: number;
  fractionOfAllowed: number;
  delivered: number;
  /** Drain jobs it took (a job hands over after its 5-minute budget) and pauses after a 429. */
  drains: number;
  pauses: number;
  /**
   * Where the time went, from the drain's start: its first 202, the mean spacing of the bursts'
   * first answers (W plus what each window cost), the last burst's spread, and what followed it.
   */
  schedule: {
    firstAnswerMs: number;
    meanCycleMs: number;
    lastBurstMs: number;
    afterLastAnswerMs: number;
  };
  /** The longest a call was in flight (limiter's count to its answer), and how many outlasted W. */
  slowestAnswerMs: number;
  answersAfterWindow: number;
  /** Events the app delivered, warm-up included: what the stand-in must hold, once each. */
  sentEvents: number;
  stats: StandInStats;
};

export function scaleFrom(value: string | undefined): number {
  const scale = Number(value ?? DEFAULT_SCALE);
  if (!(scale >= 1)) throw new Error(`BENCH_OMNISEND_SCALE must be ≥ 1 (got ${value})`);
  return scale;
}

/** The conservative minimum: the last burst may leave at once, so only the waits count. */
export function minimumSeconds(requests: number, windowMs: number) {
  return ((Math.ceil(requests / LIMIT_REQUESTS) - 1) * windowMs) / 1000;
}

export async function runOmnisendDrain(
  n: number,
  scale: number,
  log: (line: string) => void = console.info,
): Promise<DrainFigures> {
  const windowMs = 60_000 / scale;
  const name = `loyalty_bench_omnisend_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const { child, url: omnisendUrl } = await startStandIn(windowMs);
  try {
    Object.assign(process.env, {
      DATABASE_URL: url.toString(),
      OMNISEND_API_URL: omnisendUrl,
      SHOPIFY_API_KEY: process.env.SHOPIFY_API_KEY ?? "sandbox-loyalty-api-key",
      SHOPIFY_API_SECRET: process.env.SHOPIFY_API_SECRET ?? "sandbox-loyalty-api-secret",
      SHOPIFY_APP_URL: process.env.SHOPIFY_APP_URL ?? "https://loyalty-app.test",
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
      WORKERS: "off",
      LOG_LEVEL: "warn",
    });
    const { database } = await import("~/db.server");
    const { migrate } = await import("~/db/migrate.server");
    await migrate(database);
    const warmUpShop = await seed(url.toString(), "warm-up", WARM_UP_EVENTS, log);
    const shopId = await seed(url.toString(), "backlog", n, log);
    const { drainOmnisend } = await import("~/services/omnisend/drain.server");
    const { omnisendClient, OmnisendRateLimiter } = await import("~/integrations/omnisend");
    const { decryptSecret } = await import("~/lib/secrets.server");
    const prisma = database.prisma;

    // How long each call was in flight as the limiter saw it (counted at send, settled at answer):
    // one longer than the window is a stall (this machine's CPU is shared) the limiter must absorb.
    const inFlight: number[] = [];
    class TimedLimiter extends OmnisendRateLimiter {
      override settle(brand: string, takenAt: number) {
        inFlight.push(Date.now() - takenAt);
        super.settle(brand, takenAt);
      }
    }
    // The app's client for the shop, as connectedOmnisendClient builds it, but with a limiter on
    // the scaled window (one per brand, like the process-wide one); answers are timed per window.
    const answered: number[] = [];
    const clientOf = async (shop: string): Promise<OmnisendClient> => {
      const connection = await prisma.omnisendConnection.findUniqueOrThrow({
        where: { shopId: shop },
      });
      const limiter = new TimedLimiter({ requests: LIMIT_REQUESTS, windowMs });
      const key = decryptSecret(connection.encryptedApiKey, shop);
      const client = omnisendClient(key, { baseUrl: omnisendUrl, brand: shop, limiter });
      return {
        ...client,
        sendEvent: async (event) => {
          await client.sendEvent(event);
          answered.push(Date.now());
        },
      };
    };
    // As the worker does: "more" queues the next drain at once, "paused" comes back at its end.
    const drain = async (shop: string) => {
      const client = await clientOf(shop);
      const totals = { delivered: 0, drains: 0, pauses: 0 };
      for (;;) {
        const report = await drainOmnisend(shop, { client });
        totals.drains++;
        if (report.state === "not_connected") throw new Error("the shop is not connected");
        totals.delivered += report.events.delivered;
        if (report.events.failed + report.events.skipped > 0) {
          throw new Error(`${report.events.failed} failed, ${report.events.skipped} skipped`);
        }
        if (report.state === "done") return totals;
        if (report.state === "paused") {
          totals.pauses++;
          if (!report.pause.until) throw new Error(`stopped: ${report.pause.reason}`);
          const wait = report.pause.until.getTime() - Date.now();
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait) + 1));
        }
      }
    };

    log(`warming up: ${WARM_UP_EVENTS} events of another shop`);
    const warmUp = await drain(warmUpShop);
    await resetStandIn(child);
    answered.length = 0;
    inFlight.length = 0;
    log(`draining ${n} events, window ${windowMs} ms (Omnisend's minute / ${scale})`);
    const start = Date.now();
    const measured = await drain(shopId);
    const seconds = (Date.now() - start) / 1000;
    const stats = await standInStats(child);
    // Where the time went: answers arrive in bursts of 400, one per window, so answer k × 400
    // opens burst k. Their spacing against W is what the limiter and the pipeline cost per window.
    const bursts = Math.ceil(n / LIMIT_REQUESTS);
    const lastBurst = answered[(bursts - 1) * LIMIT_REQUESTS]!;
    const schedule = {
      firstAnswerMs: answered[0]! - start,
      meanCycleMs: bursts > 1 ? (lastBurst - answered[0]!) / (bursts - 1) : 0,
      lastBurstMs: answered.at(-1)! - lastBurst,
      afterLastAnswerMs: start + seconds * 1000 - answered.at(-1)!,
    };
    const minimum = minimumSeconds(n, windowMs);
    return {
      n,
      scale,
      windowMs,
      seconds,
      minimumSeconds: minimum,
      fractionOfAllowed: minimum / seconds,
      delivered: measured.delivered,
      drains: measured.drains,
      pauses: measured.pauses,
      schedule,
      slowestAnswerMs: inFlight.reduce((a, b) => Math.max(a, b), 0),
      answersAfterWindow: inFlight.filter((ms) => ms >= windowMs).length,
      sentEvents: warmUp.delivered + measured.delivered,
      stats,
    };
  } finally {
    child.send({ type: "exit" });
    await new Promise((resolve) => child.once("exit", resolve));
    const { database } = await import("~/db.server");
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 100_000);
  const scale = scaleFrom(process.argv[3] ?? process.env.BENCH_OMNISEND_SCALE);
  const figures = await runOmnisendDrain(n, scale, (line) => console.error(line));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}
