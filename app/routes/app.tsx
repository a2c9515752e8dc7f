import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// Inside Shopify admin the title bar names the page; the document still needs a title of its own.
export const meta = () => [{ title: "Loyalty & Rewards" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  // APP_BRIDGE_URL is shopify-app-remix's own override of where App Bridge loads from (the server
  // side reads it in adapters/node); passing it on keeps the page and the auth bounce page in step.
  return { apiKey: process.env.SHOPIFY_API_KEY || "", appBridgeUrl: process.env.APP_BRIDGE_URL };
};

export default function AppLayout() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/dashboard">Dashboard</Link>
        <Link to="/app/members">Members</Link>
        <Link to="/app/campaigns">Campaigns</Link>
        <Link to="/app/settings">Settings</Link>
        <Link to="/app/klaviyo">Klaviyo</Link>
        <Link to="/app/flow">Flow</Link>
        <Link to="/app/import-export">Import/export</Link>
        <Link to="/app/store-credit">Store credit review</Link>
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
