import type { WebhookDelivery } from "@prisma/client";

/** A recorded webhook delivery with its shop, as a topic handler receives it. */
export type StoredDelivery = WebhookDelivery & { shop: { id: string; domain: string } };
