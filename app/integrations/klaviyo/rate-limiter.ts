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
  | "create_list"
  | "get_profiles_for_list"
  | "remove_profiles_from_list";

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
  get_profiles_for_list: { burst: 75, steady: 750 },
  remove_profiles_from_list: { burst: 10, steady: 150 },
};

type Window = { start: number; used: number };

/**
 * Klaviyo counts a request in the window it arrives in, not the one it left in. A request that
 * starts in a second's last ARRIVAL_MARGIN_MS may arrive in the next second, on top of that
 * second's own burst, and come back 429 (a whole Retry-After second lost). So a call starting
 * there is counted in both seconds. (That never fills the next second by itself: such calls also
 * count in their own second, which holds at most a burst.) Its answer tells where it landed: an
 * answer back before the second ends means it arrived in that second, and its place in the next
 * second is given back (`settle`). Near Klaviyo, the end of every second is used; far from it,
 * a call there costs a place in the next second, as if it had waited (ADR 0051).
 */
export const ARRIVAL_MARGIN_MS = 300;

/** Windows aligned to the epoch, like the fixed windows Klaviyo counts in. */
function current(window: Window | undefined, now: number, ms: number): Window {
  const start = Math.floor(now / ms) * ms;
  return window && window.start === start ? window : { start, used: 0 };
}

/** Calls counted per second (this one and the next) and per minute, for one account and operation. */
type Counts = { seconds: Map<number, number>; minute: Window };

export class KlaviyoRateLimiter {
  private readonly counts = new Map<string, Counts>();

  constructor(
    private readonly limits: Record<KlaviyoOperation, Limit> = KLAVIYO_LIMITS,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Milliseconds to wait before a call is allowed; 0 means it may go now (and is counted). */
  tryTake(account: string, operation: KlaviyoOperation): number {
    return this.takeAt(account, operation, this.clock());
  }

  /** Waits until the call may go and counts it; returns when it was counted, for `settle`. */
  async acquire(account: string, operation: KlaviyoOperation): Promise<number> {
    for (;;) {
      const now = this.clock();
      const wait = this.takeAt(account, operation, now);
      if (wait <= 0) return now;
      await this.sleep(wait);
    }
  }

  /**
   * The call counted at `takenAt` has its answer (or its error) now. If it started in a second's
   * last moments and the answer is back before that second ended, it arrived in that second: its
   * place in the next one is free again.
   */
  settle(account: string, operation: KlaviyoOperation, takenAt: number): void {
    const next = Math.floor(takenAt / 1000) * 1000 + 1000;
    if (next - takenAt > ARRIVAL_MARGIN_MS || this.clock() >= next) return;
    const seconds = this.counts.get(`${account}|${operation}`)?.seconds;
    const used = seconds?.get(next);
    if (seconds && used) seconds.set(next, used - 1);
  }

  private takeAt(account: string, operation: KlaviyoOperation, now: number): number {
    const limit = this.limits[operation];
    const key = `${account}|${operation}`;
    const stored = this.counts.get(key);
    const second = Math.floor(now / 1000) * 1000;
    const seconds = stored?.seconds ?? new Map<number, number>();
    for (const start of seconds.keys()) if (start < second) seconds.delete(start);
    const minute = current(stored?.minute, now, 60_000);
    this.counts.set(key, { seconds, minute });
    const next = second + 1000;
    const late = next - now <= ARRIVAL_MARGIN_MS;
    if (minute.used >= limit.steady) return minute.start + 60_000 - now;
    if ((seconds.get(second) ?? 0) >= limit.burst) return next - now;
    seconds.set(second, (seconds.get(second) ?? 0) + 1);
    if (late) seconds.set(next, (seconds.get(next) ?? 0) + 1);
    minute.used++;
    return 0;
  }
}
