import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Link,
  Outlet,
  useLoaderData,
  useRouteError,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisFr from "@shopify/polaris/locales/fr.json";
import { setLocaleSource, translator } from "~/lib/i18n";
import prisma from "~/db.server";
import { navigationFor } from "~/services/home/navigation.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// Inside Shopify admin the title bar names the page; the document still needs a title of its own.
export const meta = () => [{ title: "Loyalty & Rewards" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { locale, session } = await authenticate.admin(request);
  const { id: shopId } = await ensureShop(prisma, session.shop);
  // APP_BRIDGE_URL is shopify-app-remix's own override of where App Bridge loads from (the server
  // side reads it in adapters/node); passing it on keeps the page and the auth bounce page in step.
  return {
    apiKey: process.env.SHOPIFY_API_KEY || "",
    appBridgeUrl: process.env.APP_BRIDGE_URL,
    locale,
    navigation: await navigationFor(shopId),
  };
};

// The language is the admin's, fixed for the tab (admin reloads the app when it changes), so the
// layout's loader runs again only after a save, which may switch a part of the app on or off.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod }) =>
  formMethod !== undefined && formMethod.toUpperCase() !== "GET";

const POLARIS_TRANSLATIONS = { en: polarisEn, fr: polarisFr };

export default function AppLayout() {
  const { apiKey, appBridgeUrl, locale, navigation } = useLoaderData<typeof loader>();
  // In the browser `t` speaks the admin's language from here on (the server renders it per request).
  if (typeof document !== "undefined") setLocaleSource(() => locale);
  const t = translator(locale);
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      i18n={POLARIS_TRANSLATIONS[locale]}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      <NavMenu>
        <Link to="/app" rel="home">
          {t("nav.home")}
        </Link>
        <Link to="/app/dashboard">{t("nav.dashboard")}</Link>
        <Link to="/app/members">{t("nav.members")}</Link>
        <Link to="/app/campaigns">{t("nav.campaigns")}</Link>
        <Link to="/app/claim-codes">{t("nav.claimCodes")}</Link>
        <Link to="/app/settings">{t("nav.settings")}</Link>
        <Link to="/app/klaviyo">{t("nav.klaviyo")}</Link>
        <Link to="/app/omnisend">{t("nav.omnisend")}</Link>
        <Link to="/app/flow">{t("nav.flow")}</Link>
        <Link to="/app/import-export">{t("nav.importExport")}</Link>
        {navigation.storeCreditReview ? (
          <Link to="/app/store-credit">{t("nav.storeCreditReview")}</Link>
        ) : null}
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix's boundary helpers to pass auth redirects and headers through.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
