import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { TokenAuthority } from "../../sandbox/shopify/tokens";
import { API_SECRET, APP_URL, TEST_SHOP } from "./webhooks";

const API_KEY = process.env.SHOPIFY_API_KEY ?? "sandbox-loyalty-api-key";
const authority = new TokenAuthority(
  { apiKey: API_KEY, apiSecret: API_SECRET, scopes: [] },
  TEST_SHOP,
);

/**
 * Stores the offline session the install would have stored, so `authenticate.admin` accepts a
 * session token without a token exchange (as inside Shopify admin after install).
 */
export async function installTestShop() {
  const inAnHour = new Date(Date.now() + 3600_000);
  await prisma.session.upsert({
    where: { id: `offline_${TEST_SHOP}` },
    create: {
      id: `offline_${TEST_SHOP}`,
      shop: TEST_SHOP,
      state: "",
      isOnline: false,
      scope: process.env.SCOPES ?? "",
      accessToken: "shpat_test",
      expires: inAnHour,
      refreshToken: "shprt_test",
      refreshTokenExpires: new Date(Date.now() + 30 * 24 * 3600_000),
    },
    update: {},
  });
}

/** An admin data request as App Bridge sends it: a fresh session token in the Authorization header. */
export async function adminRequest(path: string, form?: Record<string, string>) {
  const headers = new Headers({ authorization: `Bearer ${await authority.sessionToken()}` });
  if (!form) return new Request(new URL(path, APP_URL), { headers });
  headers.set("content-type", "application/x-www-form-urlencoded");
  return new Request(new URL(path, APP_URL), {
    method: "POST",
    headers,
    body: new URLSearchParams(form).toString(),
  });
}

/**
 * A page that Shopify admin opens in the app's frame (an admin link, a bookmark inside admin): a
 * document request carrying shop, host, embedded=1 and a fresh id_token in its query string.
 */
export async function adminDocumentRequest(path: string) {
  const url = new URL(path, APP_URL);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", TEST_SHOP);
  url.searchParams.set(
    "host",
    Buffer.from(`admin.shopify.com/store/${TEST_SHOP.split(".")[0]}`).toString("base64url"),
  );
  url.searchParams.set("id_token", await authority.sessionToken());
  return new Request(url);
}

type Handler<Args, Result> = (args: Args) => Promise<Result>;

/** Runs a route loader the way Remix does; a thrown Response (404, redirect) is returned. */
export async function callLoader<T>(
  loader: Handler<LoaderFunctionArgs, T>,
  request: Request,
  params: Record<string, string> = {},
): Promise<T | Response> {
  try {
    return await loader({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export async function callRouteAction<T>(
  action: Handler<ActionFunctionArgs, T>,
  request: Request,
  params: Record<string, string> = {},
): Promise<T> {
  return action({ request, params, context: {} });
}

/** The loader's data, failing the test with the response when it answered with one. */
export function dataOf<T>(result: T | Response): T {
  if (result instanceof Response) {
    throw new Error(`expected data, got a ${result.status} response`);
  }
  return result;
}
