/**
 * The storefront benchmark's load generator, in a process of its own with a small heap, so that
 * nothing but the requests it times runs on its event loop (see loadInOwnProcess). Receives a
 * LoadPlan over IPC and answers with one PhaseResult per phase.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { round } from "../harness/stats";
import { constantRate, signedProxyUrl, type LoadPlan, type PhaseResult } from "./proxy-load";

const NS_PER_MS = 1e6;

process.once("message", (plan: LoadPlan) => {
  void run(plan).then((results) => process.send!(results, () => process.exit(0)));
});

async function run(plan: LoadPlan): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  for (const phase of plan.phases) {
    const request =
      phase.target === "healthz"
        ? () => fetch(`${plan.appUrl}/healthz`)
        : (i: number) =>
            fetch(
              signedProxyUrl(
                plan.appUrl,
                "member",
                plan.shop,
                String(plan.firstCustomerId + (i % plan.members)),
                plan.secret,
              ),
            );
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const figures = await constantRate(phase.rate, phase.seconds, request);
    loop.disable();
    results.push({
      ...figures,
      generatorLoopDelayP99: round(loop.percentile(99) / NS_PER_MS),
      generatorLoopDelayMax: round(loop.max / NS_PER_MS),
    });
  }
  return results;
}
