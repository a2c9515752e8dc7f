import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "~/env.server";
import { tMaybe, translator } from "~/lib/i18n";
import { requestKlaviyoDrain } from "~/jobs/queues/send.server";
import { LOYALTY_ERROR_STATUS, LoyaltyError } from "~/services/errors";
import { finishKlaviyoAuthorization } from "~/services/klaviyo/oauth.server";

/**
 * Klaviyo sends the merchant back here (in the window the admin opened) after "Connect with
 * Klaviyo". The page tells the admin window how it went and closes itself. There is no Shopify
 * session here: the single-use state, bound to the shop when the flow started, is the proof.
 * The outcome goes to the admin window as a copy key with its values, which that window writes in
 * the staff member's language; this page, seen only when no admin window opened it, is English.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  try {
    const connected = await finishKlaviyoAuthorization(query);
    await requestKlaviyoDrain(connected.shopId);
    return page(200, true, "klaviyo.result.connected", {
      account: connected.accountName ?? connected.accountId,
    });
  } catch (error) {
    if (!(error instanceof LoyaltyError)) throw error;
    return page(LOYALTY_ERROR_STATUS[error.code], false, error.message, error.params);
  }
};

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(
  status: number,
  ok: boolean,
  key: string,
  params: Record<string, string | number> = {},
) {
  const origin = new URL(env().SHOPIFY_APP_URL).origin;
  const t = translator("en");
  const message = tMaybe(key, t, params);
  const payload = JSON.stringify({ type: "klaviyo-oauth", ok, message, key, params }).replace(
    /</g,
    "\\u003c",
  );
  const title = t(ok ? "klaviyo.oauth.window.connected" : "klaviyo.oauth.window.notConnected");
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Klaviyo</title>
<style>body{font:16px system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem;color:#303030}</style></head>
<body><main><h1>${title}</h1><p role="status">${escapeHtml(message)}</p>
<p>${t("klaviyo.oauth.window.close")}</p></main>
<script>if (window.opener) { window.opener.postMessage(${payload}, ${JSON.stringify(origin)}); window.close(); }</script>
</body></html>`;
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      // The URL carried an authorization code: never pass it on.
      "Referrer-Policy": "no-referrer",
    },
  });
}
