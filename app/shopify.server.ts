import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  LogSeverity,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { RawLoadSessionStorage } from "~/integrations/shopify/session-storage.server";
import prisma from "./db.server";
import { env } from "./env.server";
import { fetchShopOverview } from "./integrations/shopify/shop.server";
import { translator } from "./lib/i18n";
import { recordInstallation } from "./services/shops/installation.server";
import { staffLocale } from "./services/shops/staff-locale.server";

const config = env();

/** The library logs at the app's LOG_LEVEL: its per-request INFO lines only when asked for. */
const LIBRARY_LOG_LEVEL = {
  debug: LogSeverity.Debug,
  info: LogSeverity.Info,
  warn: LogSeverity.Warning,
  error: LogSeverity.Error,
} as const;

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  // Keep in step with [webhooks] api_version in shopify.app.toml (a contract test checks both).
  apiVersion: ApiVersion.October26,
  scopes: config.SCOPES?.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  logger: { level: LIBRARY_LOG_LEVEL[config.LOG_LEVEL] },
  // Retry quickly and for longer than the default (2 × 5 s): on a fresh start the table appears
  // when migrations finish, which with the embedded database is a second or two after boot.
  sessionStorage: new RawLoadSessionStorage(prisma, {
    connectionRetries: 60,
    connectionRetryIntervalMs: 250,
  }),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      // The program's calendar runs in the shop's time zone and its money in the shop's currency.
      const overview = await fetchShopOverview(admin);
      await recordInstallation(session.shop, overview);
    },
  },
});

export default shopify;
export const apiVersion = ApiVersion.October26;
/**
 * The library's headers, among them the CSP that lets only Shopify admin frame the app; an admin
 * elsewhere (SHOPIFY_ADMIN_URL, the sandbox's stand-in) is added to the origins allowed to.
 */
export function addDocumentResponseHeaders(request: Request, headers: Headers) {
  shopify.addDocumentResponseHeaders(request, headers);
  const policy = headers.get("Content-Security-Policy");
  const admin = new URL(config.SHOPIFY_ADMIN_URL).origin;
  if (policy?.startsWith("frame-ancestors ") && !policy.includes(admin)) {
    headers.set(
      "Content-Security-Policy",
      policy.replace("frame-ancestors ", `frame-ancestors ${admin} `),
    );
  }
}
/**
 * The library's authentication, with the staff member's admin language for the admin: `t`
 * speaks it in a loader's or an action's answers, `locale` goes to the page that renders them.
 */
export const authenticate = {
  ...shopify.authenticate,
  async admin(request: Request) {
    const context = await shopify.authenticate.admin(request);
    const locale = await staffLocale(request, context.session.shop, context.sessionToken?.sub);
    return { ...context, locale, t: translator(locale) };
  },
};
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
