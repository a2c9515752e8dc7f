/** Every pg-boss queue the app uses, with its retry policy. Names are stable: jobs outlive deploys. */
export const QUEUES = {
  /** One Shopify webhook delivery to apply (orders, refunds, customers, compliance). */
  webhook: {
    name: "webhook.process",
    // A worker that dies mid-job stops its heartbeat: the job is retried within a minute or so,
    // not after pg-boss's default 15 minute expiry (tests/reliability/worker-kill.test.ts).
    options: {
      retryLimit: 8,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 600,
      heartbeatSeconds: 10,
    },
  },
  /** Hourly cron tick: queues the daily run of every shop whose local day has no run yet. */
  dailyTick: {
    name: "daily.tick",
    options: { retryLimit: 2, retryDelay: 60 },
  },
  /**
   * One shop's daily maintenance for one local date (expiry, reminders, birth months, tier period
   * ends). Retries reach into the following hours; a run is idempotent, so a late one is only late.
   * Finished jobs are kept 7 days (pg-boss's default), longer than the day their id dedupes.
   */
  dailyShop: {
    name: "daily.shop",
    options: {
      retryLimit: 6,
      retryDelay: 120,
      retryBackoff: true,
      retryDelayMax: 3600,
      expireInSeconds: 3600,
      deleteAfterSeconds: 7 * 86_400,
    },
  },
  /** Send a shop's pending Flow triggers (queued with each event; at most one waiting per shop). */
  flowDelivery: {
    name: "flow.deliver",
    options: { retryLimit: 20, retryDelay: 10, retryBackoff: true, retryDelayMax: 900 },
  },
  /** Nightly: prove sum(entries) == balance for every member, recording drift (see LedgerDrift). */
  reconcile: {
    name: "ledger.reconcile",
    options: { retryLimit: 3, retryDelay: 300 },
  },
  /** Every minute: re-queue delivery for shops with pending triggers (after outages, reinstalls). */
  flowSweep: {
    name: "flow.sweep",
    options: { retryLimit: 1 },
  },
  /**
   * Drain a shop's Klaviyo backlog: events, backfill, stale profiles (at most one waiting per shop).
   * Push-back from Klaviyo is not a job failure: the job re-queues itself for when the pause ends.
   */
  klaviyoDelivery: {
    name: "klaviyo.deliver",
    options: { retryLimit: 10, retryDelay: 10, retryBackoff: true, retryDelayMax: 900 },
  },
  /**
   * Drain a shop's Omnisend backlog: events (each refreshing its contact), then stale contacts.
   * Push-back is not a job failure: the job re-queues itself for when the pause ends.
   */
  omnisendDelivery: {
    name: "omnisend.deliver",
    options: { retryLimit: 10, retryDelay: 10, retryBackoff: true, retryDelayMax: 900 },
  },
  /** Every minute: queue an Omnisend drain for every connected shop. */
  omnisendSweep: {
    name: "omnisend.sweep",
    options: { retryLimit: 1 },
  },
  /** Every minute: queue a drain for every connected shop (after pauses, outages, restarts). */
  klaviyoSweep: {
    name: "klaviyo.sweep",
    options: { retryLimit: 1 },
  },
  /**
   * Recompute every member of a shop after a program save changed tiers or expiry (set-based, in
   * batches; ADR 0019). Safe to retry: a second run changes no tier twice.
   */
  recompute: {
    name: "members.recompute",
    options: { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 },
  },
  /**
   * Every 5 minutes: settle redemptions whose request never finished (crash, Shopify outage):
   * delete a code that may exist, return the points (docs/decisions/0013).
   */
  redemptionSweep: {
    name: "rewards.sweep",
    options: { retryLimit: 1 },
  },
  /** Send a shop's cashback credits/debits to Shopify store credit (ADR 0030). */
  storeCreditSend: {
    name: "store-credit.send",
    options: { retryLimit: 10, retryDelay: 30, retryBackoff: true, retryDelayMax: 1800 },
  },
  /**
   * Issue a shop's pending rewards granted without points (welcome, birthday, tier entry, one-time
   * campaigns). A run stops after a time budget with grants left and queues the next one.
   */
  rewardGrant: {
    name: "rewards.grant",
    options: { retryLimit: 10, retryDelay: 30, retryBackoff: true, retryDelayMax: 1800 },
  },
  /**
   * Record the grants of one one-time reward campaign (one set-based statement over the segment,
   * ADR 0045), then queue their issuing. Safe to retry: a campaign past `queued` is not fanned out
   * again, and the grants' unique keys hold even if it were.
   */
  rewardCampaign: {
    name: "rewards.campaign",
    options: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 },
  },
  /** Every 15 minutes: re-queue shops whose grants outlived their job's retries (long outages). */
  rewardGrantSweep: {
    name: "rewards.grant.sweep",
    options: { retryLimit: 1 },
  },
  /** Every minute: queue sending for shops with throttled rows or lost answers to settle. */
  /**
   * Read members' store credit balances back from Shopify and announce what changed outside the
   * app (spent at checkout, issued or removed in Shopify admin or by another app; issue 18).
   */
  storeCreditRefresh: {
    name: "store-credit.refresh",
    options: { retryLimit: 5, retryDelay: 60, retryBackoff: true, retryDelayMax: 1800 },
  },
  /** Daily: every member with a store credit mirror, reconciled with Shopify, shop by shop. */
  storeCreditReconcile: {
    name: "store-credit.reconcile",
    options: { retryLimit: 2, retryDelay: 600, expireInSeconds: 3600 },
  },
  storeCreditSweep: {
    name: "store-credit.sweep",
    options: { retryLimit: 1 },
  },
  /** Apply one checked CSV import, in batches, with progress (ADR 0031). */
  importApply: {
    name: "import.apply",
    options: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 3600 },
  },
  /**
   * Publish the program summary to the shop metafield the theme extension reads (after a program
   * or referral save, and on install; at most one waiting per shop; docs/decisions/0026).
   */
  storefrontPublish: {
    name: "storefront.publish",
    options: { retryLimit: 10, retryDelay: 10, retryBackoff: true, retryDelayMax: 900 },
  },
  /**
   * Advance one history import (issue 18): start its bulk operations, wait for them, apply their
   * results in chunks. A run stops after a time budget and queues the next; progress is saved
   * with each chunk, so a killed worker's run resumes where the last chunk ended.
   */
  historyImport: {
    name: "history.import",
    options: {
      retryLimit: 10,
      retryDelay: 30,
      retryBackoff: true,
      retryDelayMax: 900,
      expireInSeconds: 900,
    },
  },
  /** Nightly: drop rate-limit counters of callers not seen for a day (docs/decisions/0027). */
  proxyCounterPrune: {
    name: "storefront.prune-counters",
    options: { retryLimit: 2, retryDelay: 300 },
  },
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES]["name"];

export interface WebhookJob {
  deliveryId: string;
}

export interface DailyShopJob {
  shopId: string;
  /** The shop's local date the run is for (also in its singleton key); the run itself uses now. */
  localDate: string;
}

export interface FlowDeliveryJob {
  shopId: string;
}

export interface KlaviyoDeliveryJob {
  shopId: string;
}

export interface OmnisendDeliveryJob {
  shopId: string;
}

export interface RecomputeJob {
  shopId: string;
  /** The program versions before and after the save (0: the defaults). */
  fromVersion: number;
  toVersion: number;
}

export interface RewardGrantJob {
  shopId: string;
}

export interface RewardCampaignJob {
  shopId: string;
  campaignId: string;
}

export interface StoreCreditSendJob {
  shopId: string;
}

export interface ImportApplyJob {
  shopId: string;
  importRunId: string;
}

export interface StoreCreditRefreshJob {
  shopId: string;
  /** Shopify customer ids (decimal strings: job data is JSON). */
  customerIds: string[];
  /** The paid order that spent store credit, when that is why. */
  orderId: string | null;
}

export interface HistoryImportJob {
  shopId: string;
  importId: string;
}

export interface StorefrontPublishJob {
  shopId: string;
}
