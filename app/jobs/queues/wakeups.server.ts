import { AsyncLocalStorage } from "node:async_hooks";
import { logger } from "~/lib/logger.server";
import { getBoss } from "./boss.server";
import { QUEUES } from "./definitions";

/** The queues a committed webhook batch wakes, per shop: event delivery and cashback sending. */
export type WakeupQueue =
  | typeof QUEUES.flowDelivery.name
  | typeof QUEUES.klaviyoDelivery.name
  | typeof QUEUES.omnisendDelivery.name
  | typeof QUEUES.storeCreditSend.name;

/** Shop ids per queue that a batch of webhook deliveries wants woken once it has committed. */
export type Wakeups = Map<WakeupQueue, Set<string>>;

const collector = new AsyncLocalStorage<Wakeups>();

/**
 * Runs `work` with the Flow and Klaviyo wake-ups its events ask for collected instead of sent from
 * each transaction (one pg-boss send per event), and returns them for one send per shop after the
 * batch (ADR 0034). A wake-up lost to a crash between the commit and the send costs a delay, not
 * an event: the flow.sweep and klaviyo.sweep crons wake every shop with pending deliveries each
 * minute.
 */
export async function collectWakeups(work: () => Promise<void>): Promise<Wakeups> {
  const wakeups: Wakeups = new Map();
  await collector.run(wakeups, work);
  return wakeups;
}

/** True when the caller runs inside collectWakeups: the wake-up was recorded for later. */
export function deferWakeup(queue: WakeupQueue, shopId: string): boolean {
  const wakeups = collector.getStore();
  if (!wakeups) return false;
  const shops = wakeups.get(queue) ?? new Set<string>();
  shops.add(shopId);
  wakeups.set(queue, shops);
  return true;
}

/** One send per queue and shop, with the queue's singleton slot (at most one waiting job). */
export async function sendWakeups(wakeups: Wakeups) {
  if (wakeups.size === 0) return;
  const boss = await getBoss();
  const options = {
    [QUEUES.flowDelivery.name]: QUEUES.flowDelivery.options,
    [QUEUES.klaviyoDelivery.name]: QUEUES.klaviyoDelivery.options,
    [QUEUES.omnisendDelivery.name]: QUEUES.omnisendDelivery.options,
    [QUEUES.storeCreditSend.name]: QUEUES.storeCreditSend.options,
  };
  for (const [queue, shops] of wakeups) {
    for (const shopId of shops) {
      try {
        await boss.send(
          queue,
          { shopId },
          { ...options[queue], singletonKey: shopId, singletonSeconds: 2, singletonNextSlot: true },
        );
      } catch (error) {
        // The events are committed; the minute sweep wakes their delivery instead.
        logger.warn("delivery wake-up failed; the sweep sends it", {
          queue,
          shopId,
          error: (error as Error).message,
        });
      }
    }
  }
}
