import { describe, expect, it } from "vitest";
import { OmnisendRateLimiter } from "./rate-limiter";

const limit = { requests: 2, windowMs: 1000 };

function limiterAt(start: number) {
  let now = start;
  const limiter = new OmnisendRateLimiter(limit, () => now);
  return { limiter, advance: (ms: number) => (now += ms) };
}

describe("OmnisendRateLimiter", () => {
  it("counts a call from its answer, so its slot frees a window after the answer", () => {
    const { limiter, advance } = limiterAt(10_000);
    expect(limiter.tryTake("brand")).toBe(0);
    expect(limiter.tryTake("brand")).toBe(0);
    advance(300);
    limiter.settle("brand", 10_000);
    limiter.settle("brand", 10_000);
    advance(700); // the first call's send time has left the window, its answer has not
    expect(limiter.tryTake("brand")).toBe(301);
    advance(301);
    expect(limiter.tryTake("brand")).toBe(0);
  });

  it("still counts a call whose answer came after its window had passed", () => {
    const { limiter, advance } = limiterAt(10_000);
    expect(limiter.tryTake("brand")).toBe(0);
    expect(limiter.tryTake("brand")).toBe(0);
    advance(1500); // both calls hang longer than the window: their send times drop out
    expect(limiter.tryTake("brand")).toBe(0);
    limiter.settle("brand", 10_000); // answered now: Omnisend may have counted it just now
    expect(limiter.tryTake("brand")).toBeGreaterThan(0);
  });
});
