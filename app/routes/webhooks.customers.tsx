import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveQueuedWebhook } from "~/lib/webhook-route.server";

const TOPICS = [
  "CUSTOMERS_CREATE",
  "CUSTOMERS_UPDATE",
  "CUSTOMERS_ENABLE",
  "CUSTOMERS_DELETE",
  "CUSTOMERS_MERGE",
  "CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE",
] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveQueuedWebhook(request, TOPICS);
