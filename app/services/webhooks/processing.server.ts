import type { Prisma } from "@prisma/client";
import { ZodError } from "zod";
import type { OrderForEarning } from "~/domain/earning/index";
import prisma from "~/db.server";
import { retryOnLockConflict } from "~/db/errors";
import { offlineAdmin } from "~/integrations/shopify/offline-admin.server";
import { fetchOrderForLoyalty } from "~/integrations/shopify/order.server";
import { logger } from "~/lib/logger.server";
import { recordOrderCommerceEvents, type OrderTopic } from "../commerce/events.server";
import { handleComplianceDelivery, COMPLIANCE_TOPICS } from "../shops/compliance.server";
import { applyCustomerDeleted } from "../members/deletion.server";
import { applyCustomerMergeWithOrders } from "../orders/merge.server";
import {
  applyAccountRegistered,
  applyCustomerCreated,
  applyEmailMarketingConsent,
  applyCustomerUpdated,
} from "../members/customers.server";
import {
  applyOrderCancelled,
  applyOrderEdited,
  applyOrderPaid,
  applyRefund,
  editedOrderId,
  paidOrderFacts,
} from "../orders/apply.server";
import {
  assertCollectionsRead,
  excludesCollections,
  markCollectionStale,
  markProductStale,
  orderLineCollections,
  withCollectionIds,
  type CollectionMembership,
} from "../orders/product-collections.server";
import { programInForce, type ProgramInForce } from "../program/versions.server";
import { markRewardsUsed } from "../rewards/redemption/lifecycle.server";
import { completeReferral } from "../referrals/completion.server";
import { acceptReferralFromCart } from "../referrals/cart.server";
import type { HandlerOutcome, StoredDelivery } from "./stored-delivery";

/** The program in force per shop, read at most once per transaction (a batch shares it). */
export type ProgramReader = (shopId: string) => Promise<ProgramInForce>;

export type DeliveryHandler = (
  tx: Prisma.TransactionClient,
  delivery: StoredDelivery,
  programs: ProgramReader,
) => Promise<HandlerOutcome | void>;

/** Reads each shop's program once for the transaction `tx`. */
export function programReader(tx: Prisma.TransactionClient): ProgramReader {
  const read = new Map<string, Promise<ProgramInForce>>();
  return (shopId) => {
    let program = read.get(shopId);
    if (!program) read.set(shopId, (program = programInForce(tx, shopId)));
    return program;
  };
}

const byPayload =
  (
    apply: (
      tx: Prisma.TransactionClient,
      shopId: string,
      payload: unknown,
    ) => Promise<HandlerOutcome>,
  ) =>
  (tx: Prisma.TransactionClient, delivery: StoredDelivery) =>
    apply(tx, delivery.shopId, delivery.payload);

/**
 * The loyalty handler, then the order's commerce events (ADR 0071) in the same transaction: they
 * are recorded only if the delivery is applied, and Placed Order sees the points just earned.
 */
const withCommerceEvents =
  (topic: OrderTopic, handler: DeliveryHandler): DeliveryHandler =>
  async (tx, delivery, programs) => {
    const outcome = await handler(tx, delivery, programs);
    const recorded = await recordOrderCommerceEvents(tx, delivery.shopId, topic, delivery.payload);
    return recorded > 0 ? "applied" : outcome;
  };

/** orders/fulfilled matters to commerce events only. */
const ignoredByLoyalty: DeliveryHandler = async () => "ignored";

/**
 * Topic → what applying it means. A topic without an entry stays recorded but unprocessed, visible
 * as such in the admin, and is applied when its handler ships because the stored payload is kept.
 */
const HANDLERS: Partial<Record<string, DeliveryHandler>> = {
  ...Object.fromEntries(COMPLIANCE_TOPICS.map((topic) => [topic, handleComplianceDelivery])),
  REFUNDS_CREATE: withCommerceEvents("REFUNDS_CREATE", byPayload(applyRefund)),
  ORDERS_CANCELLED: withCommerceEvents("ORDERS_CANCELLED", byPayload(applyOrderCancelled)),
  ORDERS_FULFILLED: withCommerceEvents("ORDERS_FULFILLED", ignoredByLoyalty),
  CUSTOMERS_CREATE: byPayload(applyCustomerCreated),
  CUSTOMERS_UPDATE: byPayload(applyCustomerUpdated),
  CUSTOMERS_ENABLE: byPayload(applyAccountRegistered),
  CUSTOMERS_MERGE: byPayload(applyCustomerMergeWithOrders),
  CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE: byPayload(applyEmailMarketingConsent),
  CUSTOMERS_DELETE: byPayload(applyCustomerDeleted),
  PRODUCTS_UPDATE: byPayload(markProductStale),
  PRODUCTS_DELETE: byPayload(markProductStale),
  COLLECTIONS_UPDATE: byPayload((tx, shopId, payload) =>
    markCollectionStale(tx, shopId, payload, false),
  ),
  COLLECTIONS_DELETE: byPayload((tx, shopId, payload) =>
    markCollectionStale(tx, shopId, payload, true),
  ),
};

/** orders/paid, with the collections of its products when the program excludes any. */
function paidOrderHandler(collections: CollectionMembership): DeliveryHandler {
  return withCommerceEvents("ORDERS_PAID", async (tx, { shopId, payload }, programs) => {
    // Read once for the earn and for the reward codes and referral below (once per batch).
    const program = await programs(shopId);
    // The program may have started excluding collections since they were (not) read: retry.
    assertCollectionsRead(program.config, collections);
    const { outcome, acceptedReferral } = await applyOrderPaid(
      tx,
      shopId,
      payload,
      program,
      collections,
    );
    // Loyalty reward codes in the order become used (reward.used), with or without a member.
    const { config } = program;
    const used = await markRewardsUsed(tx, shopId, payload, config);
    // A friend who followed a link and ordered without claiming: the code came on the cart.
    const referral =
      acceptedReferral ?? (await acceptReferralFromCart(tx, shopId, payload, config));
    const referred = await completeReferral(tx, shopId, payload, config, new Date(), referral);
    return used > 0 || referred ? "applied" : outcome;
  });
}

/**
 * The collections of these products when the program in force excludes any (cache, else the
 * Admin API), otherwise null without any call. Read before the transaction opens.
 */
async function collectionsIfExcluded(
  delivery: StoredDelivery,
  order: { orderId: string; earning: OrderForEarning },
  programs: ProgramReader,
) {
  const { config } = await programs(delivery.shopId);
  if (!excludesCollections(config)) return null;
  return orderLineCollections(delivery.shop, order.orderId, order.earning);
}

type ReadFirst = (delivery: StoredDelivery, programs: ProgramReader) => Promise<DeliveryHandler>;

/**
 * Topics whose handler first reads from Shopify. The read happens before the transaction opens,
 * so no network call ever holds a database transaction (and the embedded database) open.
 */
const READ_FIRST: Partial<Record<string, ReadFirst>> = {
  // The orders/edited payload has no prices or totals: read the edited order back.
  ORDERS_EDITED: async (delivery, programs) => {
    const admin = await offlineAdmin(delivery.shop.domain);
    const fetched = await fetchOrderForLoyalty(admin, editedOrderId(delivery.payload));
    const collections = fetched ? await collectionsIfExcluded(delivery, fetched, programs) : null;
    const order = fetched && {
      ...fetched,
      earning: withCollectionIds(fetched.earning, collections),
    };
    return async (tx, _delivery, inTransaction) => {
      assertCollectionsRead((await inTransaction(delivery.shopId)).config, collections);
      return applyOrderEdited(tx, delivery.shopId, delivery.payload, order, !!collections);
    };
  },
  // Only when the program excludes collections: which ones the order's products are in.
  ORDERS_PAID: async (delivery, programs) =>
    paidOrderHandler(
      await collectionsIfExcluded(delivery, paidOrderFacts(delivery.payload), programs),
    ),
};

/**
 * Topics that may share a transaction with other deliveries (ADR 0037): the frequent ones, which
 * touch one customer's rows. Merges and deletions lock two members or remove rows, compliance
 * requests may delete the whole shop, and orders/edited reads from Shopify first (no network call
 * inside a transaction): those keep a transaction of their own.
 */
const SHARED_TRANSACTION_TOPICS: ReadonlySet<string> = new Set([
  "ORDERS_PAID",
  "REFUNDS_CREATE",
  "ORDERS_CANCELLED",
  "ORDERS_FULFILLED",
  "CUSTOMERS_CREATE",
  "CUSTOMERS_UPDATE",
  "CUSTOMERS_ENABLE",
]);

/**
 * The handler of a delivery that may share a transaction, its Shopify reads done (outside any
 * transaction); undefined when the topic needs a transaction of its own. `programs` reads outside
 * transactions, once per shop for the whole claim.
 */
export async function sharedTransactionHandler(
  delivery: StoredDelivery,
  programs: ProgramReader,
): Promise<DeliveryHandler | undefined> {
  if (!SHARED_TRANSACTION_TOPICS.has(delivery.topic)) return undefined;
  const readFirst = READ_FIRST[delivery.topic];
  return readFirst ? readFirst(delivery, programs) : HANDLERS[delivery.topic];
}

/** After this many failed attempts a delivery stops being retried (pg-boss's retryLimit 8, + 1). */
export const MAX_ATTEMPTS = 9;

/** Seconds before the next attempt after `attempts` failed ones: 5, 10, 20, … up to 10 minutes. */
export function retryDelaySeconds(attempts: number) {
  return Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));
}

/** What became of one attempt at a delivery. */
export type AttemptResult = "processed" | "rejected" | "no-handler" | "failed";

/**
 * Applies one recorded webhook delivery (tests, and jobs queued before deliveries were claimed from
 * their table). A payload that fails validation is marked rejected with the reason and not retried
 * (it will not get better); any other error is recorded and rethrown.
 */
export async function processWebhookDelivery(deliveryId: string) {
  const delivery = await prisma.webhookDelivery.findUnique({
    where: { id: deliveryId },
    include: { shop: { select: { id: true, domain: true } } },
  });
  if (!delivery) {
    // shop/redact removed the shop and its deliveries after this job was queued: nothing to do.
    logger.info("webhook delivery gone before processing", { deliveryId });
    return;
  }
  if (delivery.processedAt) return;
  const result = await applyStoredDelivery(delivery);
  if (result.status === "failed") throw result.error;
}

/**
 * One attempt at a delivery a worker holds. The effect and the "processed" mark commit together,
 * so a crash in between redoes neither twice. A failure is recorded with the time of the next
 * attempt (exponential backoff; none after MAX_ATTEMPTS), and returned, not thrown.
 */
export async function applyStoredDelivery(
  delivery: StoredDelivery,
): Promise<{ status: Exclude<AttemptResult, "failed"> } | { status: "failed"; error: Error }> {
  const deliveryId = delivery.id;
  const where = { id: deliveryId, shopId: delivery.shopId };
  const readFirst = READ_FIRST[delivery.topic];
  if (!HANDLERS[delivery.topic] && !readFirst) {
    logger.debug("no handler for topic yet", { topic: delivery.topic, deliveryId });
    // Kept unprocessed (the payload waits for its handler) but no longer due.
    await prisma.webhookDelivery.updateMany({ where, data: { nextAttemptAt: null } });
    return { status: "no-handler" };
  }
  try {
    const handler = readFirst
      ? await readFirst(delivery, programReader(prisma))
      : HANDLERS[delivery.topic]!;
    await retryOnLockConflict(() =>
      prisma.$transaction(async (tx) => {
        const outcome = (await handler(tx, delivery, programReader(tx))) ?? "applied";
        await tx.$executeRaw`
          UPDATE "WebhookDelivery"
          SET "processedAt" = ${new Date().toISOString()}::timestamp(3), attempts = attempts + 1,
            "lastError" = NULL, outcome = ${outcome}, "nextAttemptAt" = NULL
          WHERE id = ${deliveryId}::uuid AND "shopId" = ${delivery.shopId}::uuid`;
      }),
    );
    return { status: "processed" };
  } catch (caught) {
    if (caught instanceof ZodError) {
      const reason = caught.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      await prisma.webhookDelivery.updateMany({
        where,
        data: {
          processedAt: new Date(),
          attempts: { increment: 1 },
          outcome: "rejected",
          lastError: `invalid payload: ${reason}`.slice(0, 2000),
          nextAttemptAt: null,
        },
      });
      logger.warn("webhook payload rejected", { topic: delivery.topic, deliveryId, reason });
      return { status: "rejected" };
    }
    const error = caught instanceof Error ? caught : new Error(String(caught));
    const attempts = delivery.attempts + 1;
    await prisma.webhookDelivery.updateMany({
      where,
      data: {
        attempts: { increment: 1 },
        lastError: String(error.message).slice(0, 2000),
        nextAttemptAt:
          attempts >= MAX_ATTEMPTS
            ? null
            : new Date(Date.now() + retryDelaySeconds(attempts) * 1000),
      },
    });
    return { status: "failed", error };
  }
}
