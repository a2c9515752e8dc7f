/**
 * Klaviyo's rate limits: fixed windows (1 s burst, 60 s steady, and a daily cap on a few
 * endpoints), counted per account per endpoint. Windows are aligned to the epoch, so the clock
 * alone decides when a window rolls over; tests drive it with an injected clock.
 */
import type { EndpointLimits } from "./openapi";

const WINDOWS = [
  { name: "burst", ms: 1_000 },
  { name: "steady", ms: 60_000 },
  { name: "daily", ms: 86_400_000 },
] as const;

export type RateDecision =
  | { allowed: true; limit: number; remaining: number; resetSeconds: number }
  | { allowed: false; retryAfterSeconds: number };

interface Counter {
  windowStart: number;
  count: number;
}

export class FixedWindowRateLimiter {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly clock: () => number) {}

  /** Counts the request if every window has room; throttled requests are not counted. */
  take(key: string, limits: EndpointLimits): RateDecision {
    const now = this.clock();
    const windows = WINDOWS.flatMap((w) => {
      const limit = limits[w.name];
      if (limit === undefined || !Number.isFinite(limit)) return [];
      const windowStart = Math.floor(now / w.ms) * w.ms;
      const counterKey = `${key}|${w.name}`;
      const stored = this.counters.get(counterKey);
      const count = stored && stored.windowStart === windowStart ? stored.count : 0;
      return [{ counterKey, windowStart, windowEnd: windowStart + w.ms, limit, count }];
    });

    const exhausted = windows.filter((w) => w.count >= w.limit);
    if (exhausted.length > 0) {
      const waitMs = Math.max(...exhausted.map((w) => w.windowEnd - now));
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }

    for (const w of windows) {
      this.counters.set(w.counterKey, { windowStart: w.windowStart, count: w.count + 1 });
    }
    if (windows.length === 0) {
      return {
        allowed: true,
        limit: Number.MAX_SAFE_INTEGER,
        remaining: Number.MAX_SAFE_INTEGER,
        resetSeconds: 0,
      };
    }
    // Report the window closest to throttling, since that is the one a client must respect.
    const tightest = windows.reduce((a, b) =>
      b.limit - (b.count + 1) < a.limit - (a.count + 1) ? b : a,
    );
    return {
      allowed: true,
      limit: tightest.limit,
      remaining: tightest.limit - (tightest.count + 1),
      resetSeconds: Math.max(1, Math.ceil((tightest.windowEnd - now) / 1000)),
    };
  }

  reset(): void {
    this.counters.clear();
  }
}
