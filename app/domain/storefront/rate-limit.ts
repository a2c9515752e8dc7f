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
