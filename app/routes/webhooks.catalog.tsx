import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveQueuedWebhook } from "~/lib/webhook-route.server";

// Product and collection changes only make cached collection memberships stale (ADR 0044).
const TOPICS = [
  "PRODUCTS_UPDATE",
  "PRODUCTS_DELETE",
  "COLLECTIONS_UPDATE",
  "COLLECTIONS_DELETE",
] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveQueuedWebhook(request, TOPICS);
