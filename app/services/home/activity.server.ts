import prisma from "~/db.server";

/** The admin home's overview of one shop: members, points, and what Shopify sent, newest first. */
export async function webhookActivity(shopDomain: string, limit = 10) {
  const shop = await prisma.shop.findUnique({
    where: { domain: shopDomain },
    select: { id: true },
  });
  if (!shop) return { received: 0, failing: 0, members: 0, outstanding: 0, recent: [] };
  const [received, failing, members, recent] = await Promise.all([
    prisma.webhookDelivery.count({ where: { shopId: shop.id } }),
    prisma.webhookDelivery.count({ where: { shopId: shop.id, lastError: { not: null } } }),
    prisma.member.aggregate({
      where: { shopId: shop.id, status: "active" },
      _count: { _all: true },
      _sum: { pointsBalance: true },
    }),
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
        outcome: true,
      },
    }),
  ]);
  return {
    received,
    failing,
    members: members._count._all,
    outstanding: members._sum.pointsBalance ?? 0,
    recent,
  };
}
