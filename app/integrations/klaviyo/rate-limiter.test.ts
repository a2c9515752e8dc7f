import { describe, expect, it } from "vitest";
import {
  ARRIVAL_MARGIN_MS,
  KlaviyoRateLimiter,
  type KlaviyoOperation,
  type Limit,
} from "./rate-limiter";

const LIMITS = { bulk_create_events: { burst: 10, steady: 150 } } as Record<
  KlaviyoOperation,
  Limit
>;

function limiterAt(start: number) {
  let now = start;
  const limiter = new KlaviyoRateLimiter(LIMITS, () => now);
  return { limiter, set: (ms: number) => (now = ms) };
}

describe("KlaviyoRateLimiter", () => {
  it("lets the burst go at once, then waits for the next second", () => {
    const { limiter } = limiterAt(1_000_000);
    for (let i = 0; i < 10; i++) expect(limiter.tryTake("a", "bulk_create_events")).toBe(0);
    expect(limiter.tryTake("a", "bulk_create_events")).toBe(1000);
  });

  it("counts each account apart", () => {
    const { limiter } = limiterAt(1_000_000);
    for (let i = 0; i < 10; i++) limiter.tryTake("a", "bulk_create_events");
    expect(limiter.tryTake("b", "bulk_create_events")).toBe(0);
  });

  it("stops at the steady limit until the minute rolls over", () => {
    const { limiter, set } = limiterAt(60_000 * 1000);
    for (let second = 0; second < 15; second++) {
      set(60_000 * 1000 + second * 1000);
      for (let i = 0; i < 10; i++) expect(limiter.tryTake("a", "bulk_create_events")).toBe(0);
    }
    set(60_000 * 1000 + 15_000);
    expect(limiter.tryTake("a", "bulk_create_events")).toBe(45_000);
  });

  it("starts nothing in a second's last moments, where it could arrive in the next one", () => {
    const { limiter, set } = limiterAt(2_000_000 + 1000 - ARRIVAL_MARGIN_MS + 10);
    expect(limiter.tryTake("a", "bulk_create_events")).toBe(ARRIVAL_MARGIN_MS - 10);
    set(2_001_000);
    expect(limiter.tryTake("a", "bulk_create_events")).toBe(0);
  });

  it("never lets more than the burst land in one second, whatever the send-to-arrival delay up to the margin", () => {
    // Sends every `gap` ms for 5 s when allowed; each arrives `delay` ms after it was allowed.
    for (const [gap, delay] of [
      [7, 0],
      [7, 100],
      [95, 60],
      [95, ARRIVAL_MARGIN_MS - 1],
      [40, 120],
    ] as const) {
      let now = 3_000_000 + 337;
      const limiter = new KlaviyoRateLimiter(LIMITS, () => now);
      const arrivals = new Map<number, number>();
      while (now < 3_005_000) {
        const wait = limiter.tryTake("a", "bulk_create_events");
        if (wait > 0) {
          now += wait;
          continue;
        }
        const second = Math.floor((now + delay) / 1000);
        arrivals.set(second, (arrivals.get(second) ?? 0) + 1);
        now += gap;
      }
      expect(Math.max(...arrivals.values())).toBeLessThanOrEqual(10);
    }
  });
});
