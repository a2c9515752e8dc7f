import fc from "fast-check";
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

  it("counts a call from a second's last moments in the next second too, until its answer is back", () => {
    const late = 2_000_000 + 1000 - ARRIVAL_MARGIN_MS + 10;
    const { limiter, set } = limiterAt(late);
    // Five go late in second 2,000 and hold five places in 2,001, where they may arrive.
    for (let i = 0; i < 5; i++) expect(limiter.tryTake("a", "bulk_create_events")).toBe(0);
    set(2_001_000);
    for (let i = 0; i < 5; i++) expect(limiter.tryTake("a", "bulk_create_events")).toBe(0);
    expect(limiter.tryTake("a", "bulk_create_events")).toBe(1000);

    // The same, but their answers are back before second 2,000 ends: they arrived in it.
    const answered = limiterAt(late);
    for (let i = 0; i < 5; i++) expect(answered.limiter.tryTake("a", "bulk_create_events")).toBe(0);
    answered.set(late + 200);
    for (let i = 0; i < 5; i++) answered.limiter.settle("a", "bulk_create_events", late);
    answered.set(2_001_000);
    for (let i = 0; i < 10; i++)
      expect(answered.limiter.tryTake("a", "bulk_create_events")).toBe(0);
  });

  it("keeps a late call's place in the next second when its answer comes after the second ended", () => {
    const late = 2_000_000 + 1000 - ARRIVAL_MARGIN_MS + 10;
    const { limiter, set } = limiterAt(late);
    for (let i = 0; i < 10; i++) limiter.tryTake("a", "bulk_create_events");
    set(2_001_000 + 20);
    for (let i = 0; i < 10; i++) limiter.settle("a", "bulk_create_events", late);
    expect(limiter.tryTake("a", "bulk_create_events")).toBe(980);
  });

  it("never lets more than the burst arrive in one second, whatever the delays and answers", () => {
    // A model of Klaviyo counting arrivals: a call counted at t arrives at t + d, d below the
    // margin (the limiter's one assumption), and is answered after it arrived. The app tries
    // to call every `gap` ms and settles each call when its answer comes.
    const call = fc.record({
      gap: fc.integer({ min: 0, max: 150 }),
      delay: fc.integer({ min: 0, max: ARRIVAL_MARGIN_MS - 1 }),
      work: fc.integer({ min: 0, max: 600 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.array(call, { maxLength: 120 }),
        (offset, calls) => {
          let now = 5_000_000 + offset;
          const limiter = new KlaviyoRateLimiter(LIMITS, () => now);
          const answers: { at: number; takenAt: number }[] = [];
          const arrivals = new Map<number, number>();
          const answerUpTo = (time: number) => {
            answers.sort((a, b) => a.at - b.at);
            while (answers.length > 0 && answers[0]!.at <= time) {
              const answer = answers.shift()!;
              now = answer.at;
              limiter.settle("a", "bulk_create_events", answer.takenAt);
            }
            now = time;
          };
          for (const { gap, delay, work } of calls) {
            for (;;) {
              answerUpTo(now);
              const wait = limiter.tryTake("a", "bulk_create_events");
              if (wait === 0) break;
              answerUpTo(now + wait);
            }
            const arrival = now + delay;
            const second = Math.floor(arrival / 1000);
            arrivals.set(second, (arrivals.get(second) ?? 0) + 1);
            answers.push({ at: arrival + work, takenAt: now });
            answerUpTo(now + gap);
          }
          for (const count of arrivals.values()) expect(count).toBeLessThanOrEqual(10);
        },
      ),
      { numRuns: 500 },
    );
  });
});
