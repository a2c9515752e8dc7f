/**
 * The Omnisend drain benchmark's side of the stand-in process (stand-in-process.ts): start it with
 * the scaled window, reset its window and request log between drains, and ask for its counts.
 */
import { fork, type ChildProcess } from "node:child_process";

export type StandInStats = {
  /** Events the stand-in stored, and how many distinct eventIDs among them. */
  events: number;
  uniqueEvents: number;
  /** Requests since the last reset, by HTTP status (202 accepted, 429 over the limit). */
  byStatus: Record<string, number>;
};

export function startStandIn(windowMs: number): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(new URL("./stand-in-process.ts", import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_OMNISEND_WINDOW_MS: String(windowMs) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (m: { type: string; url?: string }) => {
      if (m.type === "ready") resolve({ child, url: m.url! });
    });
  });
}

function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & T) => {
      if (m.type !== type) return;
      child.off("message", onMessage);
      resolve(m);
    };
    child.on("message", onMessage);
    child.send({ type });
  });
}

/** A fresh window and request log at the stand-in (its stored events stay, for the loss count). */
export const resetStandIn = (child: ChildProcess) => ask<void>(child, "reset");

export const standInStats = (child: ChildProcess) => ask<StandInStats>(child, "stats");
