import prisma from "~/db.server";

/** What the app has received from Shopify for one shop, newest first, for the admin home page. */
export async function webhookActivity(shopDomain: string, limit = 10) {
  const shop = await prisma.shop.findUnique({
    where: { domain: shopDomain },
    select: { id: true },
  });
  if (!shop) return { received: 0, processed: 0, failing: 0, recent: [] };
  const [received, processed, failing, recent] = await Promise.all([
    prisma.webhookDelivery.count({ where: { shopId: shop.id } }),
    prisma.webhookDelivery.count({ where: { shopId: shop.id, processedAt: { not: null } } }),
    prisma.webhookDelivery.count({ where: { shopId: shop.id, lastError: { not: null } } }),
    prisma.webhookDelivery.findMany({
      where: { shopId: shop.id },
      orderBy: { receivedAt: "desc" },
      take: limit,
      select: {
        id: true,
        topic: true,
        receivedAt: true,
        processedAt: true,
        lastError: true,
        attempts: true,
      },
    }),
  ]);
  return { received, processed, failing, recent };
}
