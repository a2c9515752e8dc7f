/**
 * Shopify's leaky bucket for the GraphQL Admin API (https://shopify.dev/docs/api/usage/limits):
 * each app-and-store pair has `maximumAvailable` points that refill at `restoreRate` points per
 * second. A query is refused (THROTTLED) when the bucket holds less than its requested cost;
 * otherwise the requested cost is taken up front and the difference to the actual cost is given
 * back afterwards. The stand-in keeps one bucket per access token (one token per app and store).
 */

export interface BucketOptions {
  /** Points the bucket holds; Standard plans get 2000 (restore rate 100/s). */
  readonly maxAvailable: number;
  /** Points restored per second: Standard 100, Advanced 200, Plus 1000, Enterprise 2000. */
  readonly restoreRate: number;
}

export const STANDARD_PLAN_BUCKET: BucketOptions = { maxAvailable: 2000, restoreRate: 100 };

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface BucketState {
  available: number;
  at: number;
}

export class LeakyBuckets {
  private readonly buckets = new Map<string, BucketState>();

  constructor(
    readonly options: BucketOptions = STANDARD_PLAN_BUCKET,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(options.maxAvailable > 0) || !(options.restoreRate > 0)) {
      throw new Error("bucket maxAvailable and restoreRate must be positive");
    }
  }

  /** Takes `cost` points if the bucket holds them; returns whether it did and the status after. */
  take(key: string, cost: number): { ok: boolean; status: ThrottleStatus } {
    const bucket = this.refill(key);
    const ok = bucket.available >= cost;
    if (ok) bucket.available -= cost;
    return { ok, status: this.statusOf(bucket) };
  }

  /** Gives back points taken for a query that cost less than requested. */
  refund(key: string, points: number): ThrottleStatus {
    const bucket = this.refill(key);
    bucket.available = Math.min(this.options.maxAvailable, bucket.available + Math.max(0, points));
    return this.statusOf(bucket);
  }

  status(key: string): ThrottleStatus {
    return this.statusOf(this.refill(key));
  }

  private refill(key: string): BucketState {
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { available: this.options.maxAvailable, at: now };
    const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
    bucket.available = Math.min(
      this.options.maxAvailable,
      bucket.available + elapsedSeconds * this.options.restoreRate,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  private statusOf(bucket: BucketState): ThrottleStatus {
    return {
      maximumAvailable: this.options.maxAvailable,
      // Shopify reports whole points; floor so a client never plans with points it lacks.
      currentlyAvailable: Math.floor(bucket.available),
      restoreRate: this.options.restoreRate,
    };
  }
}
