import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveQueuedWebhook } from "~/lib/webhook-route.server";
import { COMPLIANCE_TOPICS } from "~/services/shops/compliance.server";

// Mandatory for App Store apps; Shopify checks that a bad HMAC gets 401 (authenticate.webhook does).
export const action = ({ request }: ActionFunctionArgs) =>
  receiveQueuedWebhook(request, COMPLIANCE_TOPICS);
