import { ProgramConfigSchema } from "../../app/domain/program/config";
import { programSummary } from "../../app/domain/storefront/program-summary";
import { startShopifyStandIn } from "../../sandbox/shopify/server";
import { SANDBOX_PROGRAM } from "../../sandbox/storefront/program-fixture";
import { launchChromium } from "../../tests/e2e/browser";
import { APP_CREDENTIALS, startWebServer } from "../harness/app-processes";
import { createThrowawayDatabase, postgresVersion, withClient } from "../harness/postgres";
import { median, round } from "../harness/stats";
import type { Benchmark } from "../harness/types";
import { measurePageLoad, type PageLoad } from "../storefront/page-load";
import { constantRate, signedProxyUrl } from "../storefront/proxy-load";

const SHOP = "bench-storefront.myshopify.com";
const RATE = 100;
const MEMBERS = 300;

/**
 * Storefront: (1) the same product page with and without the app embed in Chromium (CPU 4×
 * throttled): total blocking time, layout shift, requests, bytes; (2) the widget's GET
 * /apps/loyalty/member at 100 requests/s against the production server on PostgreSQL, with
 * /healthz at the same rate as the same-run baseline.
 */
export const storefront: Benchmark = {
  name: "storefront",
  title: "Storefront widget: page cost with/without the embed, proxy latency at 100 req/s",
  async run(context) {
    const runs = context.size === "quick" ? 3 : 7;
    const seconds = context.size === "quick" ? 5 : 20;

    // (1) Page cost. Only the store (and its storefront) is needed: a page view calls no app.
    const store = await startShopifyStandIn({
      appUrl: "http://127.0.0.1:9",
      apiKey: APP_CREDENTIALS.SHOPIFY_API_KEY,
      apiSecret: APP_CREDENTIALS.SHOPIFY_API_SECRET,
    });
    const summary = programSummary(ProgramConfigSchema.parse(SANDBOX_PROGRAM), "USD", {
      enabled: true,
      advocatePoints: 200,
    });
    store.store.adminApi.setMetafield(
      {
        ownerId: `gid://shopify/Shop/${store.store.shop.id}`,
        namespace: `app--${APP_CREDENTIALS.SHOPIFY_API_KEY}--loyalty`,
        key: "program",
        type: "json",
        value: JSON.stringify(summary),
      },
      new Date(),
    );
    const browser = await launchChromium();
    const loads: Record<"with" | "without", PageLoad[]> = { with: [], without: [] };
    try {
      for (let i = 0; i < runs; i++) {
        // Alternate so drift on a shared machine hits both variants alike.
        loads.without.push(
          await measurePageLoad(browser, `${store.url}/products/trail-jacket?embed=0`),
        );
        loads.with.push(await measurePageLoad(browser, `${store.url}/products/trail-jacket`));
      }
    } finally {
      await browser.close();
      await store.close();
    }
    const med = (variant: "with" | "without", key: keyof PageLoad) =>
      round(median(loads[variant].map((l) => l[key])), key === "cls" ? 4 : 1);
    context.log(`page: ${JSON.stringify({ with: loads.with[0], without: loads.without[0] })}`);

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
      const secret = APP_CREDENTIALS.SHOPIFY_API_SECRET;
      const member = (i: number) =>
        fetch(signedProxyUrl(web.url, "member", SHOP, String(5_000_001 + (i % MEMBERS)), secret));
      await constantRate(20, 2, member); // warm-up: connections, caches, JIT
      await constantRate(20, 2, () => fetch(`${web.url}/healthz`));
      const healthz = await constantRate(RATE, seconds, () => fetch(`${web.url}/healthz`));
      const proxy = await constantRate(RATE, seconds, member);
      const version = await postgresVersion(database.url);
      const tbtDiff = round(
        med("with", "totalBlockingTimeMs") - med("without", "totalBlockingTimeMs"),
        1,
      );
      const clsWith = med("with", "cls");
      return {
        baselines: [
          {
            key: "page-without-embed-tbt",
            description: `product page without the app embed: median total blocking time of ${runs} loads (CPU 4× throttled)`,
            value: med("without", "totalBlockingTimeMs"),
            unit: "ms",
          },
          {
            key: "page-without-embed-bytes",
            description: "product page without the app embed: median bytes transferred",
            value: med("without", "bytes"),
            unit: "bytes",
          },
          {
            key: "page-without-embed-requests",
            description: "product page without the app embed: median requests",
            value: med("without", "requests"),
            unit: "requests",
          },
          {
            key: "healthz-p95",
            description: `GET /healthz at ${RATE} requests/s for ${seconds} s (same server, same run)`,
            value: healthz.p95,
            unit: "ms",
          },
        ],
        figures: [
          {
            label: "total blocking time with the embed",
            value: med("with", "totalBlockingTimeMs"),
            unit: "ms",
            baseline: "page-without-embed-tbt",
          },
          {
            label: "bytes with the embed",
            value: med("with", "bytes"),
            unit: "bytes",
            baseline: "page-without-embed-bytes",
          },
          {
            label: "requests with the embed",
            value: med("with", "requests"),
            unit: "requests",
            baseline: "page-without-embed-requests",
          },
          {
            label: `GET /apps/loyalty/member p95 at ${RATE} req/s`,
            value: proxy.p95,
            unit: "ms",
            baseline: "healthz-p95",
          },
        ],
        goals: [
          { label: "TBT difference with the embed", target: "≤ 10 ms", met: tbtDiff <= 10 },
          { label: "layout shift with the embed", target: "CLS 0", met: clsWith === 0 },
          { label: `proxy GET p95 at ${RATE} req/s`, target: "≤ 50 ms", met: proxy.p95 <= 50 },
          { label: "proxy GET errors", target: "0", met: proxy.errors === 0 },
        ],
        details: [
          "| page (median) | TBT ms | long tasks | CLS | requests | bytes | FCP ms |",
          "|---|---|---|---|---|---|---|",
          ...(["without", "with"] as const).map(
            (v) =>
              `| ${v} embed | ${med(v, "totalBlockingTimeMs")} | ${med(v, "longTasks")} | ${med(v, "cls")} | ${med(v, "requests")} | ${med(v, "bytes")} | ${med(v, "firstContentfulPaintMs")} |`,
          ),
          "",
          `TBT difference: ${tbtDiff} ms. The embed adds its CSS (head) and deferred script; it fetches nothing until opened.`,
          "",
          "| endpoint at 100 req/s | requests | p50 ms | p95 ms | p99 ms | errors | statuses |",
          "|---|---|---|---|---|---|---|",
          `| /healthz | ${healthz.requests} | ${healthz.p50} | ${healthz.p95} | ${healthz.p99} | ${healthz.errors} | ${JSON.stringify(healthz.statuses)} |`,
          `| /proxy/member (signed, ${MEMBERS} members, rate limit counted) | ${proxy.requests} | ${proxy.p50} | ${proxy.p95} | ${proxy.p99} | ${proxy.errors} | ${JSON.stringify(proxy.statuses)} |`,
        ],
        versions: { postgresql: version },
      };
    } finally {
      await web.stop();
      await database.drop();
    }
  },
};
