import { expect } from "vitest";
import prisma from "~/db.server";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { seededRandom } from "../../../bench/harness/orders";
import type { OutgoingWebhook } from "../../../bench/harness/webhook-load";
import { callAction, webhook } from "../../support/webhooks";

/**
 * Shopify's delivery behaviour, exaggerated: `duplicateShare` of the deliveries are repeats (half
 * with the same X-Shopify-Webhook-Id, as a retry; half with a new one, as a second event for the
 * same change), and everything is shuffled.
 */
export function withDuplicatesShuffled(
  originals: readonly OutgoingWebhook[],
  duplicateShare: number,
  seed: number,
): OutgoingWebhook[] {
  const random = seededRandom(seed);
  const total = Math.round(originals.length / (1 - duplicateShare));
  const all: OutgoingWebhook[] = [...originals];
  for (let i = originals.length; i < total; i++) {
    const original = originals[Math.floor(random() * originals.length)]!;
    all.push(
      random() < 0.5 ? original : { ...original, webhookId: `${original.webhookId}-again-${i}` },
    );
  }
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

/** Sends deliveries through the real orders route, `concurrency` at a time; every one must be acknowledged. */
export async function sendThroughRoute(
  shop: string,
  deliveries: readonly OutgoingWebhook[],
  concurrency: number,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!;
        const response = await callAction(
          ordersAction,
          webhook("/webhooks/orders", delivery.topic, delivery.payload, {
            shop,
            webhookId: delivery.webhookId,
          }),
        );
        expect(response.status).toBe(200);
      }
    }),
  );
}

/** Waits until every recorded delivery of the shop has been processed (or the timeout passes). */
export async function waitUntilProcessed(shop: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await prisma.webhookDelivery.count({
      where: { shop: { domain: shop }, processedAt: null },
    });
    if (left === 0) return;
    if (Date.now() > deadline) throw new Error(`${left} deliveries of ${shop} still unprocessed`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Each member's balance, keyed by Shopify customer id. */
export async function balancesOf(shop: string) {
  const members = await prisma.member.findMany({
    where: { shop: { domain: shop } },
    select: { customerId: true, pointsBalance: true },
  });
  return new Map(members.map((m) => [Number(m.customerId), m.pointsBalance]));
}

/** Ledger facts that must hold whatever the delivery order: one earn entry and one event per order. */
export async function expectExactlyOncePerOrder(shop: string, orders: number) {
  const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  const earnByOrder = await prisma.ledgerEntry.groupBy({
    by: ["orderId"],
    where: { shopId, kind: "earn" },
    _count: true,
  });
  expect(earnByOrder).toHaveLength(orders);
  expect(earnByOrder.filter((row) => row._count !== 1)).toEqual([]);
  const drift = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "Member" m
    WHERE m."shopId" = ${shopId}::uuid
      AND m."pointsBalance" <> (SELECT coalesce(sum(points), 0) FROM "LedgerEntry" e WHERE e."memberId" = m.id)`;
  expect(Number(drift[0]!.n)).toBe(0);
  const earnedEvents = await prisma.loyaltyEvent.count({ where: { shopId, type: "points.added" } });
  expect(earnedEvents).toBe(orders);
}
