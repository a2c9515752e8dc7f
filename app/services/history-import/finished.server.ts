import prisma from "~/db.server";
import { queueHistoryImport } from "~/jobs/queues/send.server";

/**
 * Shopify's bulk_operations/finish: if the operation is one of a history import still waiting
 * for Shopify, its next run is queued now (the poll would find it within seconds anyway).
 */
export async function bulkOperationFinished(shopDomain: string, operationId: string) {
  const run = await prisma.historyImport.findFirst({
    where: {
      shop: { domain: shopDomain },
      state: "fetching",
      OR: [{ customersOperationId: operationId }, { ordersOperationId: operationId }],
    },
    select: { id: true, shopId: true },
  });
  if (!run) return false;
  await queueHistoryImport(null, { shopId: run.shopId, importId: run.id });
  return true;
}
