import type { WebhookDelivery } from "@prisma/client";

/** A recorded webhook delivery with its shop, as a topic handler receives it. */
export type StoredDelivery = WebhookDelivery & { shop: { id: string; domain: string } };

/** What applying a delivery came to: recorded on the delivery for the admin's activity view. */
export type HandlerOutcome = "applied" | "ignored";
