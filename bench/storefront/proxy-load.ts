import { signAppProxyQuery } from "../../sandbox/shopify/signing";
import { percentile, round } from "../harness/stats";

export interface LatencyFigures {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  statuses: Record<string, number>;
}

/**
 * Open-loop load: one request every 1000/rate ms for `seconds`, each timed from send to full
 * body, whatever the earlier ones are doing (a closed loop would hide queueing).
 */
export async function constantRate(
  rate: number,
  seconds: number,
  request: (i: number) => Promise<Response>,
): Promise<LatencyFigures> {
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const total = rate * seconds;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      (async () => {
        const sent = performance.now();
        try {
          const response = await request(i);
          await response.arrayBuffer();
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          if (!response.ok) errors += 1;
        } catch {
          errors += 1;
        }
        samples.push(performance.now() - sent);
      })(),
    );
  }
  await Promise.all(inFlight);
  return {
    requests: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    errors,
    statuses,
  };
}

/** A request as Shopify's App Proxy forwards it (see sandbox/storefront/app-proxy.ts). */
export function signedProxyUrl(
  appUrl: string,
  path: string,
  shop: string,
  customerId: string,
  secret: string,
) {
  const params = {
    shop,
    logged_in_customer_id: customerId,
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
  };
  const query = new URLSearchParams({ ...params, signature: signAppProxyQuery(params, secret) });
  return `${appUrl}/proxy/${path}?${query}`;
}
