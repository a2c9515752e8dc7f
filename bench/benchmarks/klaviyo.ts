import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { topFunctions, summariseProfiles } from "../harness/cpu-profile";
import { round } from "../harness/stats";
import type { Benchmark } from "../harness/types";
import { minimumSeconds, START_PHASES, type DrainFigures } from "../klaviyo/drain";
import { STAND_IN_PROFILE_DIR } from "../klaviyo/stand-in-ipc";

const run = promisify(execFile);

/** Klaviyo's steady (per minute) limits, as a sustained rate: what a long backlog can average. */
const STEADY_EVENTS_PER_SECOND = (150 * 1000) / 60;
const STEADY_PROFILES_PER_SECOND = (150 * 10_000) / 60;

/**
 * Klaviyo drain: a backlog of events and stale profiles through the Klaviyo stand-in (its own
 * process, enforcing Klaviyo's published limits and validating every request against the OpenAPI
 * contract). The baseline is the allowed maximum for the same items, computed from the limits for
 * each drain's start time; the events backlog is drained from four start points across a second
 * (ADR 0051). Runs bench/klaviyo/drain.ts as its own process, since it points the app at a
 * throwaway database through the environment.
 */
export const klaviyo: Benchmark = {
  name: "klaviyo",
  title: "Klaviyo drain (events + profiles through the stand-in at Klaviyo's limits)",
  async run(context) {
    const n = context.size === "quick" ? 5_000 : 100_000;
    context.log(`${n} events and ${n} profiles`);
    const { stdout } = await run("npx", ["tsx", "bench/klaviyo/drain.ts", String(n)], {
      env: { ...process.env, BENCH_POSTGRES_URL: context.postgresUrl },
      maxBuffer: 64 * 1024 * 1024,
    });
    const figures = JSON.parse(stdout.trim().split("\n").at(-1)!) as DrainFigures;
    const { events, starts, profiles, stats } = figures;
    const worst = starts.reduce((a, b) => (b.fractionOfAllowed < a.fractionOfAllowed ? b : a));
    const lost = figures.sentEvents - stats.uniqueEvents;
    const duplicates = stats.events - stats.uniqueEvents;
    const throttled =
      starts.reduce((sum, start) => sum + start.throttled, 0) +
      Object.values(stats.byOperation).reduce((sum, op) => sum + op.throttled, 0);
    return {
      baselines: [
        {
          key: "allowed-events",
          description: `fastest schedule Klaviyo's limits allow for ${n} events (Bulk Create Events: 1,000 per request, 10/s, 150/min), from each drain's start time, over ${starts.length} drains starting ${START_PHASES.map((p) => p * 1000).join(", ")} ms into a second`,
          value: round(events.items / events.minimumSeconds, 0),
          unit: "events/s",
        },
        {
          key: "steady-events",
          description:
            "Bulk Create Events' steady limit as a sustained rate (150 requests/min × 1,000)",
          value: round(STEADY_EVENTS_PER_SECOND, 0),
          unit: "events/s",
        },
        {
          key: "allowed-profiles",
          description: `fastest schedule for ${n} profiles (Bulk Import Profiles: 10,000 per job, 10/s, 150/min)`,
          value: round(n / profiles.minimumSeconds, 0),
          unit: "profiles/s",
        },
        {
          key: "steady-profiles",
          description:
            "Bulk Import Profiles' steady limit as a sustained rate (150 jobs/min × 10,000)",
          value: round(STEADY_PROFILES_PER_SECOND, 0),
          unit: "profiles/s",
        },
      ],
      figures: [
        {
          label: "events drained",
          value: round(events.itemsPerSecond, 0),
          unit: "events/s",
          baseline: "allowed-events",
        },
        {
          label: "events drained vs steady limit",
          value: round(events.itemsPerSecond, 0),
          unit: "events/s",
          baseline: "steady-events",
        },
        {
          label: "profiles synced",
          value: round(profiles.itemsPerSecond, 0),
          unit: "profiles/s",
          baseline: "allowed-profiles",
        },
        {
          label: "profiles synced vs steady limit",
          value: round(profiles.itemsPerSecond, 0),
          unit: "profiles/s",
          baseline: "steady-profiles",
        },
      ],
      goals: [
        {
          label: `events: fraction of the allowed maximum, ${starts.length} starts across a second`,
          target: `≥ 0.95 (got ${round(events.fractionOfAllowed, 3)}; worst start ${round(worst.fractionOfAllowed, 3)} at ${worst.phase * 1000} ms)`,
          met: events.fractionOfAllowed >= 0.95,
          check: { value: round(events.fractionOfAllowed, 3), atLeast: 0.95 },
        },
        // Issue #24: every start at the limit, wherever in a second the drain begins.
        {
          label: "events: worst start's fraction of the allowed maximum",
          target: "≥ 0.9",
          met: worst.fractionOfAllowed >= 0.9,
          check: { value: round(worst.fractionOfAllowed, 3), atLeast: 0.9 },
        },
        {
          label: "events: fraction of the steady limit",
          target: `≥ 0.9 (got ${round(events.itemsPerSecond / STEADY_EVENTS_PER_SECOND, 2)})`,
          met: events.itemsPerSecond >= 0.9 * STEADY_EVENTS_PER_SECOND,
        },
        { label: "events lost", target: `0 (got ${lost})`, met: lost === 0 },
        { label: "duplicate unique_ids", target: `0 (got ${duplicates})`, met: duplicates === 0 },
        {
          label: "profiles imported",
          target: `${n} (got ${stats.importedProfiles}, ${stats.importFailures} refused)`,
          met: stats.importedProfiles === n,
        },
      ],
      details: [
        `| drain | items | seconds | requests | allowed minimum (s) | fraction | Bulk Create Events accepted in each second (limit 10) |`,
        `|---|---|---|---|---|---|---|`,
        ...starts.map(
          (start) =>
            `| events, starting ${start.phase * 1000} ms into a second | ${start.items} | ${round(start.seconds, 2)} | ${start.requests} | ${round(start.minimumSeconds, 2)} | ${round(start.fractionOfAllowed, 3)} | ${start.perSecond.join(", ")} |`,
        ),
        `| events, all ${starts.length} drains | ${events.items} | ${round(events.seconds, 2)} | ${events.requests} | ${round(events.minimumSeconds, 2)} | ${round(events.fractionOfAllowed, 3)} | |`,
        `| profiles | ${profiles.items} | ${round(profiles.seconds, 2)} | ${profiles.requests} | ${round(profiles.minimumSeconds, 2)} | ${round(profiles.fractionOfAllowed, 3)} | |`,
        "",
        `Each events drain is the only one in its minute (the stand-in's windows are reset before it) and follows a warm-up drain of ${figures.sentEvents - events.items} events of another shop. Requests answered 429 by the stand-in: ${throttled}. Profile phase per operation: ${JSON.stringify(stats.byOperation)}.`,
        `The allowed minimum counts each request in the second it arrives in, from the drain's first instant. The app cannot see arrivals, so a request that starts in a second's last 300 ms also holds a place in the next second unless its answer comes back within its own (ADR 0051). A start late in a second fills its first window only if its requests are sent and answered before that second ends; with the first window lost, the best a drain can reach is ${starts.map((start) => `${round(lostFirstWindowCeiling(start.requests, start.phase), 3)} (${start.phase * 1000} ms)`).join(", ")} (ADR 0077).`,
        "Profile jobs carry ≤ 4.5 MB each (about 5,000 members with every catalog property), so they take twice the requests the 10,000-profile limit alone would.",
        ...(process.env.BENCH_PROFILE === "1"
          ? [
              "",
              "CPU profile of the stand-in process (BENCH_PROFILE=1, `node --cpu-prof`; the whole run, seeding and the final import-job completion included):",
              "",
              ...summariseProfiles(STAND_IN_PROFILE_DIR, "stand-in"),
              "",
              ...topFunctions(STAND_IN_PROFILE_DIR, "stand-in"),
            ]
          : []),
      ],
      versions: { "klaviyo-api": "23.0.0", revision: "2026-07-15" },
    };
  },
};

/**
 * The best fraction of a drain whose first (partial) window sends nothing: the same requests from
 * the next second's start, against the allowed minimum from the drain's own start.
 */
function lostFirstWindowCeiling(requests: number, phase: number): number {
  const allowed = minimumSeconds(requests, phase * 1000, 10, 150);
  return allowed / (1 - phase + minimumSeconds(requests, 0, 10, 150));
}
