import { fork } from "node:child_process";
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

/** One step of a load plan: `rate` requests/s for `seconds` to /healthz or a member's widget GET. */
export interface LoadPhase {
  target: "healthz" | "member";
  rate: number;
  seconds: number;
}

export interface LoadPlan {
  appUrl: string;
  shop: string;
  secret: string;
  /** Members are customers firstCustomerId … firstCustomerId + members − 1, asked in turn. */
  firstCustomerId: number;
  members: number;
  phases: LoadPhase[];
}

/** A phase's latencies, and how long the generator's own event loop stalled meanwhile. */
export interface PhaseResult extends LatencyFigures {
  generatorLoopDelayP99: number;
  generatorLoopDelayMax: number;
}

/**
 * Runs the plan from a process of its own (bench/storefront/load-process.ts). In the benchmark's
 * process, Lighthouse's traces had grown the heap past 1 GB: its collections stalled the clock
 * that timed each request, and /healthz itself showed a 295 ms p99 (issue #24, ADR 0076). The
 * generator's own stalls are reported next to what it measured.
 */
export function loadInOwnProcess(plan: LoadPlan): Promise<PhaseResult[]> {
  const child = fork(new URL("./load-process.ts", import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the load generator exited with ${code}`)));
    child.once("message", (results: PhaseResult[]) => resolve(results));
    child.send(plan);
  });
}
