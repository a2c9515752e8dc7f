import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import { env } from "~/env.server";
import type { MessageKey } from "~/lib/i18n";
import { login } from "~/shopify.server";

const SHOPIFY_ADMIN = "https://admin.shopify.com";

/**
 * The login form's answer: nothing to show yet, a message key for a shop domain that cannot be
 * right, or (thrown) the redirect to the app inside the shop's admin. The library builds that
 * redirect on admin.shopify.com; SHOPIFY_ADMIN_URL moves it where admin really is (the sandbox).
 */
export async function loginToShopAdmin(request: Request): Promise<{ shop?: MessageKey }> {
  let refusal: Awaited<ReturnType<typeof login>>;
  try {
    refusal = await login(request);
  } catch (thrown) {
    throw thrown instanceof Response ? toConfiguredAdmin(thrown) : thrown;
  }
  if (refusal.shop === LoginErrorType.MissingShop) return { shop: "login.error.missingShop" };
  if (refusal.shop === LoginErrorType.InvalidShop) return { shop: "login.error.invalidShop" };
  return {};
}

function toConfiguredAdmin(response: Response): Response {
  const location = response.headers.get("Location");
  const admin = env().SHOPIFY_ADMIN_URL.replace(/\/$/, "");
  if (!location?.startsWith(SHOPIFY_ADMIN) || admin === SHOPIFY_ADMIN) return response;
  const headers = new Headers(response.headers);
  headers.set("Location", admin + location.slice(SHOPIFY_ADMIN.length));
  return new Response(null, { status: response.status, headers });
}
