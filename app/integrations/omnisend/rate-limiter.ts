/**
 * Omnisend counts every request of a brand, whatever key sent it, in a sliding one-minute window
 * (400 by default; omnisend.md §2). The limiter keeps the times of the brand's last requests and
 * lets a call go only while fewer than the limit fall inside the window, so the app stays under
 * the limit instead of bouncing off 429s.
 *
 * A request is counted at the moment it leaves, and moved to the moment its answer came back
 * (`settle`): Omnisend counted it when it arrived, somewhere in between, so the answer's time is
 * the earliest moment it is sure to have left Omnisend's window a minute later. One worker drains
 * a shop at a time (a singleton job per shop), so in-process windows are enough; a 429 that still
 * happens (the brand's key used elsewhere too) pauses the shop for `retryAfter`.
 */
export type OmnisendLimit = { requests: number; windowMs: number };

export const OMNISEND_LIMIT: OmnisendLimit = { requests: 400, windowMs: 60_000 };

export class OmnisendRateLimiter {
  /** Per brand: the times (ms) its requests of the last window count at, in ascending order. */
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly limit: OmnisendLimit = OMNISEND_LIMIT,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Milliseconds to wait before a call may go; 0 means it goes now (and is counted). */
  tryTake(brand: string): number {
    const now = this.clock();
    const times = this.recent(brand, now);
    if (times.length >= this.limit.requests) return times[0]! + this.limit.windowMs - now + 1;
    times.push(now);
    return 0;
  }

  /** Waits until the call may go and counts it; returns the time it was counted at, for `settle`. */
  async acquire(brand: string): Promise<number> {
    for (;;) {
      const now = this.clock();
      const wait = this.tryTake(brand);
      if (wait <= 0) return now;
      await this.sleep(wait);
    }
  }

  /**
   * The call counted at `takenAt` has its answer now: it counts from now instead. A call in flight
   * longer than the window has already left it (or a 429 replaced the window): it is counted from
   * now all the same, since Omnisend may have counted it as late as its answer.
   */
  settle(brand: string, takenAt: number): void {
    const times = this.sent.get(brand);
    if (!times) return;
    const index = times.indexOf(takenAt);
    if (index >= 0) times.splice(index, 1);
    const now = this.clock();
    let at = times.length;
    while (at > 0 && times[at - 1]! > now) at--;
    times.splice(at, 0, now);
  }

  /** Forgets everything about a brand's window after Omnisend said it is full (its count wins). */
  fill(brand: string, retryAfterMs: number): void {
    const now = this.clock();
    const until = now + retryAfterMs - this.limit.windowMs;
    this.sent.set(
      brand,
      Array.from({ length: this.limit.requests }, () => until),
    );
  }

  private recent(brand: string, now: number): number[] {
    const times = this.sent.get(brand) ?? [];
    let drop = 0;
    while (drop < times.length && times[drop]! <= now - this.limit.windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    this.sent.set(brand, times);
    return times;
  }
}
