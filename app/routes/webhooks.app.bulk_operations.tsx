import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { verifyShopifyWebhook } from "~/lib/webhook-verification.server";
import { bulkOperationFinished } from "~/services/history-import/finished.server";

// bulk_operations/finish (https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-bulk_operations/finish)
const Payload = z.object({ admin_graphql_api_id: z.string().min(1) }).loose();

/** A bulk operation ended: the history import waiting for it moves on at once. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await verifyShopifyWebhook(request);
  // The library gives the topic in its enum form (X-Shopify-Topic "bulk_operations/finish").
  if (webhook.topic !== "BULK_OPERATIONS_FINISH") {
    return new Response(`Topic ${webhook.topic} is not handled at this address`, { status: 422 });
  }
  const parsed = Payload.safeParse(webhook.payload);
  if (!parsed.success) return new Response("admin_graphql_api_id is required", { status: 400 });
  await bulkOperationFinished(webhook.shop, parsed.data.admin_graphql_api_id);
  return new Response(null, { status: 200 });
};
