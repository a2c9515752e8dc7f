import { describe, expect, it } from "vitest";
import { callerKey, clientIp, PROXY_LIMITS, verdict, windowStartFor } from "./rate-limit";

describe("proxy rate limits", () => {
  it("counts a signed-in customer by id and a visitor by address", () => {
    expect(callerKey("read", 42n, "203.0.113.9")).toBe("read:c:42");
    expect(callerKey("write", null, "203.0.113.9")).toBe("write:ip:203.0.113.9");
  });

  it("takes the first forwarded address and refuses junk", () => {
    expect(clientIp("203.0.113.9, 10.0.0.1")).toBe("203.0.113.9");
    expect(clientIp("2001:db8::1")).toBe("2001:db8::1");
    expect(clientIp("<script>")).toBe("unknown");
    expect(clientIp(null)).toBe("unknown");
  });

  it("allows up to the limit in a window, then says when the window ends", () => {
    const now = new Date("2026-11-24T10:00:42.500Z");
    const start = windowStartFor(now, 60);
    expect(start.toISOString()).toBe("2026-11-24T10:00:00.000Z");
    expect(verdict(PROXY_LIMITS.write.limit, start, "write", now)).toEqual({ allowed: true });
    expect(verdict(PROXY_LIMITS.write.limit + 1, start, "write", now)).toEqual({
      allowed: false,
      retryAfterSeconds: 18,
    });
  });
});
