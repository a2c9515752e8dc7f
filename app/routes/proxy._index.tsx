import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";

/**
 * GET /apps/loyalty (Shopify forwards it to /proxy, signed). Tells the storefront widget whether the
 * app is installed and whether a signed-in customer is present. `logged_in_customer_id` is trusted
 * only after authenticate.public.appProxy verified the signature and timestamp (400 otherwise).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.public.appProxy(request);
  const customerId = new URL(request.url).searchParams.get("logged_in_customer_id");
  return Response.json(
    { installed: Boolean(session), signedIn: Boolean(customerId) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
};
