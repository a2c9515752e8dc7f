/**
 * Fixed-window rate limits for the storefront's App Proxy routes (docs/decisions/0027). Pure: the
 * counter lives in PostgreSQL (services/proxy-rate-limit.server.ts); this decides windows, keys and
 * the answer.
 */
export const PROXY_LIMITS = {
  /** Reads (widget data, rewards, referral link): a widget opens with one or two. */
  read: { limit: 60, windowSeconds: 60 },
  /** Writes (redeem, birthday, referral claim): each is a click. */
  write: { limit: 10, windowSeconds: 60 },
} as const;
export type ProxyBucket = keyof typeof PROXY_LIMITS;

export function windowStartFor(now: Date, windowSeconds: number): Date {
  const size = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / size) * size);
}

/** Who is counted: the signed customer when there is one, else the shopper's address. */
export function callerKey(bucket: ProxyBucket, customerId: bigint | null, ip: string): string {
  return customerId !== null ? `${bucket}:c:${customerId}` : `${bucket}:ip:${ip}`;
}

/**
 * The shopper's address from the App Proxy request. Shopify's proxy adds the shopper's IP as the
 * first X-Forwarded-For entry; anything unparseable counts as one shared "unknown" caller.
 */
export function clientIp(forwardedFor: string | null): string {
  const first = forwardedFor?.split(",")[0]?.trim() ?? "";
  return /^[0-9a-fA-F.:]{2,45}$/.test(first) ? first : "unknown";
}

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function verdict(
  count: number,
  windowStart: Date,
  bucket: ProxyBucket,
  now: Date,
): RateVerdict {
  const { limit, windowSeconds } = PROXY_LIMITS[bucket];
  if (count <= limit) return { allowed: true };
  const endsMs = windowStart.getTime() + windowSeconds * 1000;
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((endsMs - now.getTime()) / 1000)),
  };
}

/**
 * Failed claim-code guesses (issue #23, ADR 0068), counted apart from the request buckets: per
 * signed-in customer and per address, whichever fills first stops the claims of that caller. An
 * address is shared by more shoppers (a shop's wifi, a carrier's NAT), so it gets more room.
 */
export const CLAIM_GUESS_LIMITS = {
  customer: { limit: 5, windowSeconds: 3600 },
  ip: { limit: 20, windowSeconds: 3600 },
} as const;

/** The two counters a failed claim adds to: the customer's and the address's. */
export function claimGuessKeys(customerId: bigint, ip: string) {
  return {
    customer: `claim_failed:c:${customerId}`,
    ip: `claim_failed:ip:${ip}`,
  };
}

/**
 * Whether another claim may be tried, given the failures counted in each counter's current
 * window (a counter from an earlier window counts as 0).
 */
export function claimGuessVerdict(
  counters: {
    customer: { count: number; windowStart: Date } | null;
    ip: { count: number; windowStart: Date } | null;
  },
  now: Date,
): RateVerdict {
  let retryAfter = 0;
  for (const side of ["customer", "ip"] as const) {
    const counter = counters[side];
    const { limit, windowSeconds } = CLAIM_GUESS_LIMITS[side];
    if (!counter) continue;
    const current = windowStartFor(now, windowSeconds).getTime() === counter.windowStart.getTime();
    if (current && counter.count >= limit) {
      const endsMs = counter.windowStart.getTime() + windowSeconds * 1000;
      retryAfter = Math.max(retryAfter, Math.ceil((endsMs - now.getTime()) / 1000), 1);
    }
  }
  return retryAfter > 0 ? { allowed: false, retryAfterSeconds: retryAfter } : { allowed: true };
}
