import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveQueuedWebhook } from "~/lib/webhook-route.server";

const TOPICS = [
  "ORDERS_PAID",
  "ORDERS_CANCELLED",
  "ORDERS_EDITED",
  "ORDERS_FULFILLED",
  "REFUNDS_CREATE",
] as const;

export const action = ({ request }: ActionFunctionArgs) => receiveQueuedWebhook(request, TOPICS);
