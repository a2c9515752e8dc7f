/**
 * The drain benchmark's side of the stand-in process (stand-in-process.ts): start it, reset its
 * windows between drains, and ask for its counts.
 */
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";

export type StandInStats = {
  events: number;
  uniqueEvents: number;
  profiles: number;
  importedProfiles: number;
  importFailures: number;
  byOperation: Record<string, { ok: number; throttled: number; failed: number }>;
  /**
   * Accepted requests per operation in each second, by arrival at the stand-in, from the second of
   * the operation's first request: where a drain left Klaviyo's burst windows unused.
   */
  perSecond: Record<string, number[]>;
};

/** Where the stand-in's CPU profile goes with BENCH_PROFILE=1 (`node --cpu-prof`). */
export const STAND_IN_PROFILE_DIR = "bench/tmp/stand-in";

export function startStandIn(): Promise<{ child: ChildProcess; url: string }> {
  const profiling = process.env.BENCH_PROFILE === "1";
  if (profiling) {
    // Only this run's profile: summaries add up every file in the directory.
    fs.rmSync(STAND_IN_PROFILE_DIR, { recursive: true, force: true });
    fs.mkdirSync(STAND_IN_PROFILE_DIR, { recursive: true });
  }
  const child = fork(new URL("./stand-in-process.ts", import.meta.url), [], {
    execArgv: [
      "--import",
      "tsx",
      ...(profiling ? ["--cpu-prof", `--cpu-prof-dir=${STAND_IN_PROFILE_DIR}`] : []),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (m: { type: string; url?: string }) => {
      if (m.type === "ready") resolve({ child, url: m.url! });
    });
  });
}

/** Fresh rate windows and request log at the stand-in (its stored events stay, for the loss count). */
export function resetStandIn(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== "reset") return;
      child.off("message", onMessage);
      resolve();
    };
    child.on("message", onMessage);
    child.send({ type: "reset" });
  });
}

export function standInStats(child: ChildProcess): Promise<StandInStats> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & StandInStats) => {
      if (m.type !== "stats") return;
      child.off("message", onMessage);
      resolve(m);
    };
    child.on("message", onMessage);
    child.send({ type: "stats" });
  });
}
