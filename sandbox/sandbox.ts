import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Server } from "node:http";
import { SANDBOX_OAUTH_CLIENT } from "./klaviyo/oauth";
import { startKlaviyoStandIn } from "./klaviyo/server";
import { startOmnisendStandIn } from "./omnisend/server";
import { seedStore } from "./seed";
import { routeShopToStandIn } from "./shopify/route-admin-api";
import { startShopifyStandIn } from "./shopify/server";

export const SANDBOX_APP = {
  apiKey: "sandbox-loyalty-api-key",
  apiSecret: "sandbox-loyalty-api-secret",
  // A fixed, public development key: it protects nothing but sandbox data.
  encryptionKey: "c2FuZGJveC1vbmx5LWtleS1kby1ub3QtdXNlLTMyYmI=",
};

export interface SandboxOptions {
  appPort: number;
  shopifyPort: number;
  klaviyoPort: number;
  /** 0 (the default) picks a free port. */
  omnisendPort?: number;
  keepData?: boolean;
  dataDir?: string;
  /**
   * Save the sandbox merchant's program (tiers, rewards, referrals) after install. Default true;
   * false is a merchant who has just installed (the onboarding browser test).
   */
  seedProgram?: boolean;
  /**
   * The store has history before install (customers, a year of orders, store credit). "wait"
   * (the demo): the merchant brings it in from the first-run checklist. "import": imported at
   * start through the app's history import, for tests that need members on their first page.
   */
  history?: "wait" | "import";
  log?: (line: string) => void;
}

/**
 * Starts everything the demo and the browser tests need: Shopify and Klaviyo stand-ins, a store
 * with history from before the install, and the built app on the embedded database with its
 * workers in-process, installed on it.
 */
export async function startSandbox(options: SandboxOptions) {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const appUrl = `http://localhost:${options.appPort}`;
  const dataDir = path.resolve(options.dataDir ?? ".data/sandbox");
  if (!options.keepData) fs.rmSync(dataDir, { recursive: true, force: true });

  const shopify = await startShopifyStandIn({
    appUrl,
    apiKey: SANDBOX_APP.apiKey,
    apiSecret: SANDBOX_APP.apiSecret,
    port: options.shopifyPort,
  });
  // "Connect with Klaviyo" works in the sandbox: the stand-in plays Klaviyo's OAuth server too.
  // The store the merchant already runs: its past is in Shopify, not in webhooks.
  const seeded = seedStore(shopify.store);
  log(`the store has ${seeded.customers.length} customers and ${seeded.orders.length} orders`);
  const klaviyo = await startKlaviyoStandIn({
    port: options.klaviyoPort,
    oauth: {
      clients: [{ ...SANDBOX_OAUTH_CLIENT, redirectUris: [`${appUrl}/klaviyo/oauth/callback`] }],
    },
  });
  // Any API key connects the sandbox's Omnisend brand (the stand-in checks only that one is sent).
  const omnisend = await startOmnisendStandIn({ port: options.omnisendPort ?? 0 });

  // Admin on the app's host name (localhost): framed from another site over plain http, the app
  // is denied sessionStorage by Chromium (a SecurityError that breaks Remix's scroll restoration
  // and route discovery); over https, as in Shopify, the browser partitions storage instead.
  const adminOrigin = shopify.url.replace("//127.0.0.1:", "//localhost:");
  Object.assign(process.env, {
    SHOPIFY_API_KEY: SANDBOX_APP.apiKey,
    SHOPIFY_API_SECRET: SANDBOX_APP.apiSecret,
    SHOPIFY_APP_URL: appUrl,
    SCOPES: shopify.config.scopes.join(","),
    ENCRYPTION_KEY: SANDBOX_APP.encryptionKey,
    DATABASE_URL: `pglite:${dataDir}`,
    APP_BRIDGE_URL: `${shopify.url}/cdn/app-bridge.js`,
    SHOPIFY_ADMIN_URL: adminOrigin,
    KLAVIYO_API_URL: klaviyo.url,
    OMNISEND_API_URL: omnisend.url,
    KLAVIYO_CLIENT_ID: SANDBOX_OAUTH_CLIENT.clientId,
    KLAVIYO_CLIENT_SECRET: SANDBOX_OAUTH_CLIENT.clientSecret,
    KLAVIYO_AUTHORIZE_URL: `${klaviyo.url}/oauth/authorize`,
    WORKERS: "inline",
  });

  buildAppIfStale(log);
  const { migrate } = await import("../app/db/migrate.server");
  const { database } = await import("../app/db.server");
  await migrate(database);
  const build = (await import(
    pathToFileURL(path.resolve("build/server/index.js")).href
  )) as ServerBuild;
  // After the build loaded: shopify-api's node adapter sets its fetch when first imported.
  routeShopToStandIn(shopify.store.shop.domain, shopify.url);
  const { createAppServer } = await import("../server/app-server");
  const app: Server = await new Promise((resolve) => {
    const listening = createAppServer(build).listen(options.appPort, () => resolve(listening));
  });

  // Install: Shopify admin opens the app with a session token; the app exchanges it for an offline
  // token (and its afterAuth hook records the shop and queues the storefront metafield).
  const host = Buffer.from(
    `admin.shopify.com/store/${shopify.store.shop.domain.split(".")[0]}`,
  ).toString("base64url");
  const adminUrl = `${appUrl}/app?shop=${shopify.store.shop.domain}&host=${host}&embedded=1`;
  const install = await fetch(`${adminUrl}&id_token=${await shopify.tokens.sessionToken()}`, {
    // The app refuses bots (isbot), and Node's fetch says "node".
    headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36" },
  });
  if (!install.ok) throw new Error(`installing the app answered HTTP ${install.status}`);
  if (options.seedProgram ?? true) {
    const { seedLoyaltyProgram } = await import("./storefront/seed-program");
    await seedLoyaltyProgram(shopify.store.shop.domain);
  }

  if (options.history === "import") {
    const { importSandboxHistory } = await import("./import-history");
    const run = await importSandboxHistory(shopify.store.shop.domain);
    log(`imported ${run.customers} customers and ${run.orders} orders of history`);
  }

  await waitForProgramMetafield(shopify, SANDBOX_APP.apiKey);
  return {
    adminUrl,
    /** Shopify admin's page for the app (the stand-in frames it): reloads and bookmarks work here. */
    shopifyAdminUrl: `${adminOrigin}/store/${shopify.store.shop.domain.split(".")[0]}/apps/${SANDBOX_APP.apiKey}`,
    appUrl,
    storeUrl: `${shopify.url}/store`,
    storefrontUrl: `${shopify.url}/pages/rewards`,
    klaviyoUrl: klaviyo.url,
    omnisendUrl: omnisend.url,
    dataDir,
    shopify,
    klaviyo,
    omnisend,
    startupMs: Math.round(performance.now() - started),
    async stop() {
      await new Promise<void>((resolve) => app.close(() => resolve()));
      const { shutdown } = await import("../app/jobs/start.server");
      await shutdown();
      await shopify.close();
      await klaviyo.close();
      await omnisend.close();
    },
  };
}

/** The storefront reads the program from the metafield the app's worker publishes after install. */
async function waitForProgramMetafield(
  shopify: Awaited<ReturnType<typeof startShopifyStandIn>>,
  apiKey: string,
) {
  const owner = `gid://shopify/Shop/${shopify.store.shop.id}`;
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (shopify.store.adminApi.metafield(owner, `app--${apiKey}--loyalty`, "program")) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the app did not publish its program metafield within 30 s");
}

/**
 * Builds the app when build/ is missing or older than a source file, so the demo runs current code.
 * Also used by the benchmarks and the reliability suite, which run the production server.
 */
export function buildAppIfStale(log: (line: string) => void) {
  const output = path.resolve("build/server/index.js");
  const builtAt = fs.existsSync(output) ? fs.statSync(output).mtimeMs : 0;
  const newest = newestMtime(path.resolve("app"));
  if (builtAt > newest) return;
  log("building the app (remix vite:build)…");
  const result = spawnSync(
    process.execPath,
    [path.resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"],
    {
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
  if (result.status !== 0) throw new Error("the app did not build; see the output above");
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}
