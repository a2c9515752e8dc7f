import { fromPrisma } from "pg-boss";
import type { Prisma } from "@prisma/client";
import { getBoss } from "./boss.server";
import {
  QUEUES,
  type FlowDeliveryJob,
  type HistoryImportJob,
  type StoreCreditRefreshJob,
  type ImportApplyJob,
  type KlaviyoDeliveryJob,
  type OmnisendDeliveryJob,
  type RecomputeJob,
  type RewardCampaignJob,
  type RewardGrantJob,
  type StoreCreditSendJob,
  type StorefrontPublishJob,
} from "./definitions";
import { deferWakeup } from "./wakeups.server";

// The send side of every queue: what services call to have work done later. Nothing here imports
// a service or a worker (scripts/check-imports.ts), so services import it without a cycle; the
// workers that run these jobs live in app/jobs/workers/<capability>/.

/** A send inside the caller's transaction: the job exists if and only if the transaction commits. */
const inTransaction = (tx: Prisma.TransactionClient) => ({ db: fromPrisma(tx) });

/**
 * At most one waiting job per shop however many sends a burst makes: the 2-second singleton slot
 * takes the first, and a send while one waits takes the next slot.
 */
const oncePerShop = (shopId: string) => ({
  singletonKey: shopId,
  singletonSeconds: 2,
  singletonNextSlot: true,
});

/**
 * Queues delivery of the shop's Flow triggers in the caller's transaction (with the event). The
 * singleton slot keeps at most one waiting job per shop however many events a burst writes.
 */
export async function queueFlowDelivery(tx: Prisma.TransactionClient, shopId: string) {
  // Inside a batch of webhook deliveries: one wake-up per shop after the batch (ADR 0034).
  if (deferWakeup(QUEUES.flowDelivery.name, shopId)) return;
  const boss = await getBoss();
  await boss.send(QUEUES.flowDelivery.name, { shopId } satisfies FlowDeliveryJob, {
    ...QUEUES.flowDelivery.options,
    ...oncePerShop(shopId),
    ...inTransaction(tx),
  });
}

/** Queues Flow delivery now or at `startAfter`, outside any transaction (retries, "Retry failed"). */
export async function requestFlowDelivery(shopId: string, startAfter?: Date) {
  const boss = await getBoss();
  await boss.send(QUEUES.flowDelivery.name, { shopId } satisfies FlowDeliveryJob, {
    ...QUEUES.flowDelivery.options,
    singletonKey: startAfter ? `${shopId}:retry` : shopId,
    ...(startAfter ? { startAfter } : {}),
  });
}

/**
 * How long this process trusts what it knows about which shops are connected to Klaviyo and
 * Omnisend. A shop connected meanwhile misses only the wake-up: the minute sweep drains it.
 */
const CONNECTED_CACHE_MS = 10_000;
let connected: { klaviyo: Set<string>; omnisend: Set<string>; at: number } | null = null;

async function connectedShops(tx: Prisma.TransactionClient) {
  if (!connected || Date.now() - connected.at > CONNECTED_CACHE_MS) {
    const where = { status: "connected" };
    const select = { shopId: true };
    const klaviyo = await tx.klaviyoConnection.findMany({ where, select });
    const omnisend = await tx.omnisendConnection.findMany({ where, select });
    connected = {
      klaviyo: new Set(klaviyo.map((r) => r.shopId)),
      omnisend: new Set(omnisend.map((r) => r.shopId)),
      at: Date.now(),
    };
  }
  return connected;
}

/** Forget the cached connection lists (after connect/disconnect in this process). */
export function forgetConnectedShops() {
  connected = null;
}

/**
 * Queues the shop's Klaviyo drain in the caller's transaction (with the event), so an event is
 * on its way within seconds. Shops without Klaviyo skip the job; the minute sweep covers the rest.
 */
export async function queueKlaviyoDelivery(tx: Prisma.TransactionClient, shopId: string) {
  if (!(await connectedShops(tx)).klaviyo.has(shopId)) return;
  // Inside a batch of webhook deliveries: one wake-up per shop after the batch (ADR 0034).
  if (deferWakeup(QUEUES.klaviyoDelivery.name, shopId)) return;
  const boss = await getBoss();
  await boss.send(QUEUES.klaviyoDelivery.name, { shopId } satisfies KlaviyoDeliveryJob, {
    ...QUEUES.klaviyoDelivery.options,
    ...oncePerShop(shopId),
    ...inTransaction(tx),
  });
}

/** Queues a Klaviyo drain now, outside any transaction (connect, "Sync now", "Retry failed"). */
export async function requestKlaviyoDrain(shopId: string, startAfter?: Date) {
  forgetConnectedShops();
  const boss = await getBoss();
  await boss.send(QUEUES.klaviyoDelivery.name, { shopId } satisfies KlaviyoDeliveryJob, {
    ...QUEUES.klaviyoDelivery.options,
    singletonKey: shopId,
    ...(startAfter ? { startAfter } : {}),
  });
}

/** Queues the shop's Omnisend drain in the caller's transaction (with the event); connected shops only. */
export async function queueOmnisendDelivery(tx: Prisma.TransactionClient, shopId: string) {
  if (!(await connectedShops(tx)).omnisend.has(shopId)) return;
  if (deferWakeup(QUEUES.omnisendDelivery.name, shopId)) return;
  const boss = await getBoss();
  await boss.send(QUEUES.omnisendDelivery.name, { shopId } satisfies OmnisendDeliveryJob, {
    ...QUEUES.omnisendDelivery.options,
    ...oncePerShop(shopId),
    ...inTransaction(tx),
  });
}

/** Queues an Omnisend drain now or at `startAfter`, outside any transaction (connect, retries). */
export async function requestOmnisendDrain(shopId: string, startAfter?: Date) {
  forgetConnectedShops();
  const boss = await getBoss();
  await boss.send(QUEUES.omnisendDelivery.name, { shopId } satisfies OmnisendDeliveryJob, {
    ...QUEUES.omnisendDelivery.options,
    singletonKey: startAfter ? `${shopId}:resume` : shopId,
    ...(startAfter ? { startAfter } : {}),
  });
}

/** Queues sending the shop's cashback rows, in the caller's transaction (with the rows). */
export async function queueStoreCreditSend(tx: Prisma.TransactionClient, shopId: string) {
  // Inside a batch of webhook deliveries: one wake-up per shop after the batch (ADR 0034, 0037;
  // the minute sweep sends it if the process dies first).
  if (deferWakeup(QUEUES.storeCreditSend.name, shopId)) return;
  const boss = await getBoss();
  await boss.send(QUEUES.storeCreditSend.name, { shopId } satisfies StoreCreditSendJob, {
    ...QUEUES.storeCreditSend.options,
    ...oncePerShop(shopId),
    ...inTransaction(tx),
  });
}

/** Queues issuing the shop's pending grants, in the caller's transaction (with the grant row). */
export async function queueRewardGrant(tx: Prisma.TransactionClient, shopId: string) {
  const boss = await getBoss();
  await boss.send(QUEUES.rewardGrant.name, { shopId } satisfies RewardGrantJob, {
    ...QUEUES.rewardGrant.options,
    ...oncePerShop(shopId),
    ...inTransaction(tx),
  });
}

/** Queues a campaign's fan-out, in the caller's transaction (with the campaign row). */
export async function queueRewardCampaign(tx: Prisma.TransactionClient, job: RewardCampaignJob) {
  const boss = await getBoss();
  await boss.send(QUEUES.rewardCampaign.name, job, {
    ...QUEUES.rewardCampaign.options,
    singletonKey: job.campaignId,
    ...inTransaction(tx),
  });
}

/** Queues the recompute in the caller's transaction, so it exists if and only if the save does. */
export async function queueRecompute(tx: Prisma.TransactionClient, job: RecomputeJob) {
  const boss = await getBoss();
  await boss.send(QUEUES.recompute.name, job, {
    ...QUEUES.recompute.options,
    ...inTransaction(tx),
  });
}

/** Queues applying a checked import, in the caller's transaction (with the run's state change). */
export async function queueImportApply(tx: Prisma.TransactionClient, job: ImportApplyJob) {
  const boss = await getBoss();
  await boss.send(QUEUES.importApply.name, job, {
    ...QUEUES.importApply.options,
    singletonKey: job.importRunId,
    ...inTransaction(tx),
  });
}

/**
 * Queues publishing the program metafield in the caller's transaction (with the save), so it
 * exists if and only if the save does; the singleton slot keeps one waiting job per shop.
 */
export async function queueStorefrontPublish(tx: Prisma.TransactionClient, shopId: string) {
  const boss = await getBoss();
  await boss.send(QUEUES.storefrontPublish.name, { shopId } satisfies StorefrontPublishJob, {
    ...QUEUES.storefrontPublish.options,
    ...oncePerShop(shopId),
    ...inTransaction(tx),
  });
}

/**
 * Queues the next run of a history import, in the caller's transaction (with its start) or now
 * (`tx` null: a bulk operation finished, a run that stopped to let others work); `startAfter`
 * to look again later (Shopify still running the operations). One waiting run per import.
 */
export async function queueHistoryImport(
  tx: Prisma.TransactionClient | null,
  job: HistoryImportJob,
  startAfter?: Date,
) {
  const boss = await getBoss();
  await boss.send(QUEUES.historyImport.name, job, {
    ...QUEUES.historyImport.options,
    singletonKey: startAfter ? `${job.importId}:later` : job.importId,
    ...(startAfter ? { startAfter } : { singletonSeconds: 1, singletonNextSlot: true }),
    ...(tx ? inTransaction(tx) : {}),
  });
}

/** Queues reading members' store credit back from Shopify, in the caller's transaction. */
export async function queueStoreCreditRefresh(
  tx: Prisma.TransactionClient,
  job: StoreCreditRefreshJob,
) {
  const boss = await getBoss();
  await boss.send(QUEUES.storeCreditRefresh.name, job, {
    ...QUEUES.storeCreditRefresh.options,
    ...inTransaction(tx),
  });
}
