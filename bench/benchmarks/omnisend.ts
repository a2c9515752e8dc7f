import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { round } from "../harness/stats";
import type { Benchmark } from "../harness/types";
import { LIMIT_REQUESTS, scaleFrom, type DrainFigures } from "../omnisend/drain";

const run = promisify(execFile);

/**
 * Omnisend drain (issue #21): a backlog of events through the Omnisend stand-in (its own process,
 * enforcing the brand's sliding window and validating every request against Omnisend's
 * contracts), one `POST /events` per event. The window is time-scaled by BENCH_OMNISEND_SCALE
 * (default 40: 60 s / 40 = 1.5 s) in both the app's limiter and the stand-in, so 100,000 events
 * take minutes instead of four hours; bench/omnisend/drain.ts says why that measures the same
 * thing. Runs drain.ts as its own process, since it points the app at a throwaway database.
 */
export const omnisend: Benchmark = {
  name: "omnisend",
  title: "Omnisend drain (events through the stand-in at Omnisend's sliding window, time-scaled)",
  async run(context) {
    const n = context.size === "quick" ? 5_000 : 100_000;
    const scale = scaleFrom(process.env.BENCH_OMNISEND_SCALE);
    context.log(`${n} events, window 60 s / ${scale}`);
    const { stdout } = await run("npx", ["tsx", "bench/omnisend/drain.ts", String(n), `${scale}`], {
      env: { ...process.env, BENCH_POSTGRES_URL: context.postgresUrl },
      maxBuffer: 64 * 1024 * 1024,
    });
    const figures = JSON.parse(stdout.trim().split("\n").at(-1)!) as DrainFigures;
    const { stats, windowMs } = figures;
    const lost = figures.sentEvents - stats.uniqueEvents;
    const duplicates = stats.events - stats.uniqueEvents;
    const accepted = stats.byStatus["202"] ?? 0;
    const throttled = stats.byStatus["429"] ?? 0;
    const requests = Object.values(stats.byStatus).reduce((sum, count) => sum + count, 0);
    const { firstAnswerMs, meanCycleMs, lastBurstMs, afterLastAnswerMs } = figures.schedule;
    const allowedRate = (LIMIT_REQUESTS * 1000) / windowMs;
    return {
      baselines: [
        {
          key: "allowed",
          description: `fastest schedule the scaled window allows for ${n} events (bursts of ${LIMIT_REQUESTS} at 0, W, 2W… with W = ${windowMs} ms; the last burst counted as taking no time)`,
          value: round(n / figures.minimumSeconds, 0),
          unit: "events/s",
        },
        {
          key: "steady",
          description: `the window's sustained rate (${LIMIT_REQUESTS} per ${windowMs} ms)`,
          value: round(allowedRate, 0),
          unit: "events/s",
        },
      ],
      figures: [
        {
          label: "events drained",
          value: round(n / figures.seconds, 0),
          unit: "events/s",
          baseline: "allowed",
        },
        {
          label: "events drained vs steady rate",
          value: round(n / figures.seconds, 0),
          unit: "events/s",
          baseline: "steady",
        },
      ],
      goals: [
        {
          label: "fraction of the fastest schedule the limit allows",
          target: `≥ 0.95 (got ${round(figures.fractionOfAllowed, 3)})`,
          met: figures.fractionOfAllowed >= 0.95,
          check: { value: round(figures.fractionOfAllowed, 3), atLeast: 0.95 },
        },
        { label: "events lost", target: `0 (got ${lost})`, met: lost === 0 },
        { label: "duplicate eventIDs", target: `0 (got ${duplicates})`, met: duplicates === 0 },
        {
          label: "requests answered 429",
          target: `reported (got ${throttled})`,
          met: true,
        },
      ],
      details: [
        `| events | scale | window (ms) | seconds | allowed minimum (s) | fraction | requests | 202 | 429 | drain jobs | pauses |`,
        `|---|---|---|---|---|---|---|---|---|---|---|`,
        `| ${n} | ${figures.scale} | ${windowMs} | ${round(figures.seconds, 2)} | ${round(figures.minimumSeconds, 2)} | ${round(figures.fractionOfAllowed, 3)} | ${requests} | ${accepted} | ${throttled} | ${figures.drains} | ${figures.pauses} |`,
        "",
        `Omnisend allows ${LIMIT_REQUESTS} requests per brand in any 60 s; at real time ${n} events take ≥ ${round(minimumSecondsAtRealTime(n) / 60, 0)} minutes. The app's limiter and the stand-in both ran on { requests: ${LIMIT_REQUESTS}, windowMs: 60,000 / ${figures.scale} = ${windowMs} }: the same count and sliding-window logic on a faster clock. What is measured holds under the scaling: whether the limiter packs requests into the window without a 429 (its answer-time accounting costs about one request latency per window, which the scaling makes ${figures.scale}× heavier, so the fraction is a lower bound), and whether reading, building, sending and recording a round keeps up with the pace the window sets (a scaled window leaves the pipeline ${figures.scale}× less time per round).`,
        `Minimum = (ceil(${n} / ${LIMIT_REQUESTS}) − 1) × ${windowMs} ms: bursts at 0, W, 2W…, the last one taken as instant (the conservative, smaller minimum). Slowest answer (send to answer, as the limiter counts it): ${figures.slowestAnswerMs} ms; answers later than a window: ${figures.answersAfterWindow}. Where the time went: first 202 after ${round(firstAnswerMs, 0)} ms; the bursts' first answers ${round(meanCycleMs, 1)} ms apart on average (W + ${round(meanCycleMs - windowMs, 1)} ms: each window costs at least one request's latency, since the limiter frees a slot a window after its answer, and more when a round's sends, recording and the next round's building outlast the window on a loaded machine); the last burst spread over ${round(lastBurstMs, 0)} ms; ${round(afterLastAnswerMs, 0)} ms after the last answer (recording the round, looking for stale contacts). The drain was one job after another as the worker runs it (each hands over after its 5-minute budget), after a warm-up drain of ${figures.sentEvents - figures.delivered} events of another shop. Lost = events the app delivered (warm-up included) − distinct eventIDs at the stand-in; duplicates = events stored − distinct eventIDs.`,
      ],
      versions: { "omnisend-api": "2026-03-15", "scaled-window-ms": String(windowMs) },
    };
  },
};

function minimumSecondsAtRealTime(n: number) {
  return (Math.ceil(n / LIMIT_REQUESTS) - 1) * 60;
}
