/**
 * Klaviyo's published limits per endpoint (klaviyo.md §3): a burst per second and a steady rate per
 * minute, counted in fixed windows per account. The limiter keeps one pair of windows per shop and
 * operation and makes a caller wait until both have room, so the app stays just under the limit
 * instead of bouncing off 429s. One worker drains a shop at a time (a singleton job per shop), so
 * in-process windows are enough; a 429 that still happens (the account's key also used elsewhere)
 * pauses the shop for Retry-After.
 */
export type KlaviyoOperation =
  | "create_event"
  | "bulk_create_events"
  | "create_or_update_profile"
  | "bulk_import_profiles"
  | "get_bulk_import_profiles_job"
  | "get_errors_for_bulk_import_profiles_job"
  | "get_accounts"
  | "get_lists"
  | "create_list";

export type Limit = { burst: number; steady: number };

export const KLAVIYO_LIMITS: Record<KlaviyoOperation, Limit> = {
  create_event: { burst: 350, steady: 3500 },
  bulk_create_events: { burst: 10, steady: 150 },
  create_or_update_profile: { burst: 75, steady: 750 },
  bulk_import_profiles: { burst: 10, steady: 150 },
  get_bulk_import_profiles_job: { burst: 10, steady: 150 },
  get_errors_for_bulk_import_profiles_job: { burst: 10, steady: 150 },
  get_accounts: { burst: 1, steady: 15 },
  get_lists: { burst: 75, steady: 750 },
  create_list: { burst: 10, steady: 150 },
};

type Window = { start: number; used: number };

/**
 * Klaviyo counts a request in the window it arrives in, not the one it left in. A request sent in
 * the last moments of a second can land in the next one, on top of that second's full burst, and
 * come back 429 (a whole Retry-After second lost). So nothing starts in a window's last
 * ARRIVAL_MARGIN_MS; with requests sent in bursts at the start of each second this costs no capacity.
 */
export const ARRIVAL_MARGIN_MS = 300;

/** Windows aligned to the epoch, like the fixed windows Klaviyo counts in. */
function current(window: Window | undefined, now: number, ms: number): Window {
  const start = Math.floor(now / ms) * ms;
  return window && window.start === start ? window : { start, used: 0 };
}

export class KlaviyoRateLimiter {
  private readonly windows = new Map<string, { second: Window; minute: Window }>();

  constructor(
    private readonly limits: Record<KlaviyoOperation, Limit> = KLAVIYO_LIMITS,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Milliseconds to wait before a call is allowed; 0 means it may go now (and is counted). */
  tryTake(account: string, operation: KlaviyoOperation): number {
    const limit = this.limits[operation];
    const now = this.clock();
    const key = `${account}|${operation}`;
    const stored = this.windows.get(key);
    const second = current(stored?.second, now, 1000);
    const minute = current(stored?.minute, now, 60_000);
    this.windows.set(key, { second, minute });
    if (minute.used >= limit.steady) return minute.start + 60_000 - now;
    if (second.used >= limit.burst) return second.start + 1000 - now;
    const leftInSecond = second.start + 1000 - now;
    if (leftInSecond <= ARRIVAL_MARGIN_MS) return leftInSecond;
    second.used++;
    minute.used++;
    return 0;
  }

  async acquire(account: string, operation: KlaviyoOperation): Promise<void> {
    for (;;) {
      const wait = this.tryTake(account, operation);
      if (wait <= 0) return;
      await this.sleep(wait);
    }
  }
}
