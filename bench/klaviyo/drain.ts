/**
 * Klaviyo drain: a backlog of N loyalty events and N stale member profiles (100,000 each by
 * default) sent through the stand-in, which enforces Klaviyo's published limits. Reports the
 * achieved throughput against the fastest schedule those limits allow for the same requests.
 *
 * Klaviyo's windows are whole seconds, so where in a second a drain starts decides how much of the
 * first window it can use (ADR 0051). The events backlog is therefore drained four times, from
 * four shops, starting 0, 250, 500 and 750 ms into a second, each as the only drain in its minute
 * (the stand-in's windows are reset between them), after a small warm-up drain of a fifth shop:
 * a worker and Klaviyo are warm when a real backlog arrives.
 *
 *   npx tsx bench/klaviyo/drain.ts [N]     (PostgreSQL at 127.0.0.1:5432)
 *
 * Run as its own process (`npm run bench -- klaviyo` does): it points the app's modules at a
 * throwaway database through the environment. Progress goes to stderr, the figures (JSON) to stdout.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { seed } from "./drain-seed";
import { resetStandIn, standInStats, startStandIn, type StandInStats } from "./stand-in-ipc";

export type DrainFigures = {
  n: number;
  /** Events the app delivered, warm-up included: what the stand-in must hold, once each. */
  sentEvents: number;
  /** All the starts together: their items, seconds and allowed minimums summed. */
  events: PhaseFigures;
  /** One drain of the n events per start phase. */
  starts: StartFigures[];
  profiles: PhaseFigures;
  stats: StandInStats;
};

export type StartFigures = PhaseFigures & {
  /** Where in its second the drain started (0–1). */
  phase: number;
  /** Bulk Create Events requests accepted in each second, from the first one's second. */
  perSecond: number[];
  throttled: number;
};

/** Where in a second each measured drain starts. */
export const START_PHASES = [0, 0.25, 0.5, 0.75];
const WARM_UP_EVENTS = 3000;

type PhaseFigures = {
  items: number;
  seconds: number;
  requests: number;
  /** The shortest time Klaviyo's fixed windows allow for `requests` requests from the same start. */
  minimumSeconds: number;
  fractionOfAllowed: number;
  itemsPerSecond: number;
};

const SERVER = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Earliest finish for `requests` calls under epoch-aligned burst (1 s) and steady (60 s) windows. */
export function minimumSeconds(requests: number, startMs: number, burst: number, steady: number) {
  let t = startMs;
  let second = Math.floor(t / 1000);
  let minute = Math.floor(t / 60_000);
  let inSecond = 0;
  let inMinute = 0;
  for (let sent = 0; sent < requests; sent++) {
    for (;;) {
      const s = Math.floor(t / 1000);
      const m = Math.floor(t / 60_000);
      if (s !== second) [second, inSecond] = [s, 0];
      if (m !== minute) [minute, inMinute] = [m, 0];
      if (inMinute >= steady) t = (minute + 1) * 60_000;
      else if (inSecond >= burst) t = (second + 1) * 1000;
      else break;
    }
    inSecond++;
    inMinute++;
  }
  // Up to the last request's window, plus its share of that window (N within one burst: N/burst s).
  return (t - startMs) / 1000 + 1 / burst;
}

/**
 * The allowed maximum: the fewest requests Klaviyo's payload limits permit (1,000 events or 10,000
 * profiles each), scheduled as early as the burst and steady windows allow from `start`.
 */
function phaseFigures(
  items: number,
  seconds: number,
  requests: number,
  perRequest: number,
  start: number,
): PhaseFigures {
  const minimum = minimumSeconds(Math.ceil(items / perRequest), start, 10, 150);
  return {
    items,
    seconds,
    requests,
    minimumSeconds: minimum,
    fractionOfAllowed: minimum / seconds,
    itemsPerSecond: items / seconds,
  };
}

/** Waits until `phase` (0–1) of the way into a second. */
function startOfPhase(phase: number): Promise<void> {
  const wait = (phase * 1000 - (Date.now() % 1000) + 1000) % 1000;
  return new Promise((resolve) => setTimeout(resolve, wait));
}

export async function runKlaviyoDrain(
  n: number,
  log: (line: string) => void = console.info,
): Promise<DrainFigures> {
  const name = `loyalty_bench_klaviyo_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const { child, url: klaviyoUrl } = await startStandIn();
  try {
    Object.assign(process.env, {
      DATABASE_URL: url.toString(),
      KLAVIYO_API_URL: klaviyoUrl,
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
    const shops: string[] = [];
    for (const phase of START_PHASES) shops.push(await seed(url.toString(), `${phase}`, n, log));
    const { deliverPendingKlaviyoEvents } =
      await import("~/services/klaviyo/event-delivery.server");
    const { syncStaleProfiles } = await import("~/services/klaviyo/profile-sync.server");
    const { connectedClient } = await import("~/services/klaviyo/connection.server");
    const prisma = database.prisma;
    const connectionOf = (shopId: string) =>
      prisma.klaviyoConnection.findUniqueOrThrow({ where: { shopId } });
    const clientOf = async (shopId: string) => connectedClient(await connectionOf(shopId))!;
    type Client = Awaited<ReturnType<typeof clientOf>>;
    const drain = async (shopId: string, client: Client, items: number) => {
      let delivered = 0;
      while (delivered < items) {
        const report = await deliverPendingKlaviyoEvents(shopId, client);
        delivered += report.delivered;
        if (report.failed > 0) throw new Error(`${report.failed} events failed`);
        if (report.pause?.until) {
          await new Promise((r) =>
            setTimeout(r, Math.max(0, report.pause!.until!.getTime() - Date.now())),
          );
        }
      }
      return delivered;
    };

    log(`warming up: ${WARM_UP_EVENTS} events of another shop`);
    await drain(warmUpShop, await clientOf(warmUpShop), WARM_UP_EVENTS);
    const starts: StartFigures[] = [];
    for (const [i, phase] of START_PHASES.entries()) {
      const client = await clientOf(shops[i]!);
      await resetStandIn(child);
      log(`draining ${n} events, starting ${phase * 1000} ms into a second`);
      await startOfPhase(phase);
      const start = Date.now();
      const delivered = await drain(shops[i]!, client, n);
      const seconds = (Date.now() - start) / 1000;
      const stats = await standInStats(child);
      starts.push({
        ...phaseFigures(
          delivered,
          seconds,
          stats.byOperation.bulk_create_events?.ok ?? 0,
          1000,
          start,
        ),
        phase,
        perSecond: stats.perSecond.bulk_create_events ?? [],
        throttled: stats.byOperation.bulk_create_events?.throttled ?? 0,
      });
    }

    log(`syncing ${n} profiles`);
    await resetStandIn(child);
    const connection = await connectionOf(shops[0]!);
    const profilesStart = Date.now();
    const profiles = await syncStaleProfiles(connection, connectedClient(connection)!);
    const profilesSeconds = (Date.now() - profilesStart) / 1000;
    const stats = await standInStats(child);
    const importRequests = stats.byOperation.bulk_import_profiles?.ok ?? 0;
    log(`profiles: ${profiles.synced} synced in ${profiles.jobs} jobs`);
    const sum = (key: "items" | "seconds" | "requests" | "minimumSeconds") =>
      starts.reduce((total, start) => total + start[key], 0);
    return {
      n,
      sentEvents: WARM_UP_EVENTS + sum("items"),
      events: {
        items: sum("items"),
        seconds: sum("seconds"),
        requests: sum("requests"),
        minimumSeconds: sum("minimumSeconds"),
        fractionOfAllowed: sum("minimumSeconds") / sum("seconds"),
        itemsPerSecond: sum("items") / sum("seconds"),
      },
      starts,
      profiles: phaseFigures(
        profiles.synced,
        profilesSeconds,
        importRequests,
        10_000,
        profilesStart,
      ),
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
  const figures = await runKlaviyoDrain(n);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}
