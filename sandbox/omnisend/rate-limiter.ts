/**
 * Omnisend's rate limit: a sliding window per brand, shared by every key, token and endpoint
 * (400 requests per minute by default). A log of accepted requests' times is kept, so a slot
 * frees exactly `windowMs` after the request that took it; throttled requests are not counted.
 * The clock is injected so tests move time by hand.
 */

export interface SlidingWindowLimit {
  requests: number;
  windowMs: number;
}

export type RateDecision =
  { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

export const DEFAULT_LIMIT: SlidingWindowLimit = { requests: 400, windowMs: 60_000 };

export class SlidingWindowRateLimiter {
  /** Times of the accepted requests still inside the window, oldest first. */
  private accepted: number[] = [];

  constructor(
    private readonly limit: SlidingWindowLimit,
    private readonly clock: () => number,
  ) {}

  take(): RateDecision {
    const now = this.clock();
    const windowStart = now - this.limit.windowMs;
    const firstInside = this.accepted.findIndex((t) => t > windowStart);
    this.accepted = firstInside === -1 ? [] : this.accepted.slice(firstInside);

    if (this.accepted.length >= this.limit.requests) {
      // The slot the oldest request holds is the first to free.
      const oldest = this.accepted[0] ?? now;
      const waitMs = oldest + this.limit.windowMs - now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    this.accepted.push(now);
    return { allowed: true, remaining: this.limit.requests - this.accepted.length };
  }

  reset(): void {
    this.accepted = [];
  }
}
