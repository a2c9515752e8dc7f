import { APP_CREDENTIALS, startWebServer } from "../harness/app-processes";
import { createThrowawayDatabase, postgresVersion, withClient } from "../harness/postgres";
import type { Benchmark } from "../harness/types";
import { measurePageCost } from "../storefront/page-cost";
import { loadInOwnProcess } from "../storefront/proxy-load";

const SHOP = "bench-storefront.myshopify.com";
const RATE = 100;
const MEMBERS = 300;

/**
 * Storefront: (1) the same product page with and without the app embed, in Lighthouse and in
 * Chromium with 4× CPU throttling (bench/storefront/page-cost.ts); (2) the widget's GET
 * /apps/loyalty/member at 100 requests/s against the production server on PostgreSQL, with
 * /healthz at the same rate as the same-run baseline.
 */
export const storefront: Benchmark = {
  name: "storefront",
  title: "Storefront widget: page cost with/without the embed, proxy latency at 100 req/s",
  async run(context) {
    const seconds = context.size === "quick" ? 5 : 20;

    // (1) Page cost: Lighthouse and DevTools, with and without the embed.
    const page = await measurePageCost(context.size);

    // (2) Proxy latency on PostgreSQL.
    const database = await createThrowawayDatabase(context.postgresUrl, "bench_storefront");
    const web = await startWebServer({ databaseUrl: database.url, name: "storefront-web" });
    try {
      await withClient(database.url, async (client) => {
        const shop = await client.query<{ id: string }>(
          `INSERT INTO "Shop" (id, domain, "updatedAt") VALUES (gen_random_uuid(), $1, now()) RETURNING id`,
          [SHOP],
        );
        const shopId = shop.rows[0]!.id;
        await client.query(
          `INSERT INTO "Session" (id, shop, state, "isOnline", "accessToken") VALUES ($1, $2, '', false, 'shpat_bench')`,
          [`offline_${SHOP}`, SHOP],
        );
        await client.query(
          `INSERT INTO "Member" (id, "shopId", "customerId", "pointsBalance", "lifetimeEarned", "updatedAt")
           SELECT gen_random_uuid(), $1, 5000000 + g, 100 + g, 100 + g, now() FROM generate_series(1, $2) g`,
          [shopId, MEMBERS],
        );
      });
      const phases = await loadInOwnProcess({
        appUrl: web.url,
        shop: SHOP,
        secret: APP_CREDENTIALS.SHOPIFY_API_SECRET,
        firstCustomerId: 5_000_001,
        members: MEMBERS,
        phases: [
          // Warm-up: connections, caches, JIT.
          { target: "member", rate: 20, seconds: 2 },
          { target: "healthz", rate: 20, seconds: 2 },
          { target: "healthz", rate: RATE, seconds },
          { target: "member", rate: RATE, seconds },
        ],
      });
      const [healthz, proxy] = [phases[2]!, phases[3]!];
      const version = await postgresVersion(database.url);
      return {
        baselines: [
          ...page.baselines,
          {
            key: "healthz-p95",
            description: `GET /healthz at ${RATE} requests/s for ${seconds} s (same server, same run)`,
            value: healthz.p95,
            unit: "ms",
          },
        ],
        figures: [
          ...page.figures,
          {
            label: `GET /apps/loyalty/member p95 at ${RATE} req/s`,
            value: proxy.p95,
            unit: "ms",
            baseline: "healthz-p95",
          },
          {
            label: `GET /apps/loyalty/member p99 at ${RATE} req/s`,
            value: proxy.p99,
            unit: "ms",
            baseline: "healthz-p95",
          },
        ],
        goals: [
          ...page.goals,
          {
            label: `proxy GET p95 at ${RATE} req/s`,
            target: "≤ 50 ms",
            met: proxy.p95 <= 50,
            check: { value: proxy.p95, atMost: 50 },
          },
          // Issue #24: the tail a shopper can count on in every run, not only the typical one.
          {
            label: `proxy GET p99 at ${RATE} req/s`,
            target: "≤ 100 ms",
            met: proxy.p99 <= 100,
            check: { value: proxy.p99, atMost: 100 },
          },
          { label: "proxy GET errors", target: "0", met: proxy.errors === 0 },
        ],
        details: [
          ...page.details,
          "",
          "| endpoint at 100 req/s | requests | p50 ms | p95 ms | p99 ms | errors | statuses | generator's event-loop delay p99 / max ms |",
          "|---|---|---|---|---|---|---|---|",
          `| /healthz | ${healthz.requests} | ${healthz.p50} | ${healthz.p95} | ${healthz.p99} | ${healthz.errors} | ${JSON.stringify(healthz.statuses)} | ${healthz.generatorLoopDelayP99} / ${healthz.generatorLoopDelayMax} |`,
          `| /proxy/member (signed, ${MEMBERS} members, rate limit counted) | ${proxy.requests} | ${proxy.p50} | ${proxy.p95} | ${proxy.p99} | ${proxy.errors} | ${JSON.stringify(proxy.statuses)} | ${proxy.generatorLoopDelayP99} / ${proxy.generatorLoopDelayMax} |`,
          "The load generator runs in a process of its own (ADR 0076): in the benchmark's process, Lighthouse's retained traces made its collections stall the clock that timed each request.",
        ],
        versions: { postgresql: version },
      };
    } finally {
      await web.stop();
      await database.drop();
    }
  },
};
