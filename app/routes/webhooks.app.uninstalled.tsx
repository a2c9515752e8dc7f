import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { markUninstalled } from "~/services/shops/installation.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);
  // Webhooks can arrive more than once and after the app was already uninstalled: both are no-ops.
  await markUninstalled(shop);
  return new Response(null, { status: 200 });
};
