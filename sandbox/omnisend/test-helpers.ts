/**
 * Helpers for the stand-in's own tests: plain fetch with Omnisend's headers, a hand-driven clock,
 * and body builders in Omnisend's wire format.
 */
import { afterEach } from "vitest";
import type { OmnisendStandIn, OmnisendStandInOptions } from "./server";
import { startOmnisendStandIn } from "./server";

export const API_KEY = "sandbox-omnisend-key";
export const VERSION = "2026-03-15";
export const NOW = Date.UTC(2026, 3, 1, 12, 0, 0);

export interface ManualClock {
  (): number;
  advance(ms: number): void;
}

export function manualClock(start = NOW): ManualClock {
  let now = start;
  const clock = (() => now) as ManualClock;
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | undefined;
}

export async function call(
  standIn: OmnisendStandIn,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<Reply> {
  const merged: Record<string, string> = {};
  const defaults = {
    Authorization: `Omnisend-API-Key ${API_KEY}`,
    "Omnisend-Version": VERSION,
    "Content-Type": "application/json",
  };
  for (const [k, v] of Object.entries({ ...defaults, ...headers })) {
    if (v !== undefined) merged[k] = v;
  }
  const res = await fetch(standIn.url + path, {
    method,
    headers: merged,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

export function fieldErrors(reply: Reply): { field: string; code: string; message: string }[] {
  return (reply.json?.errors as { field: string; code: string; message: string }[]) ?? [];
}

let eventCounter = 0;

/** A fresh v4-shaped UUID per call, so real-time events differ unless a test repeats one. */
export function eventUuid(): string {
  eventCounter++;
  return `9afca57b-d157-478b-adde-${eventCounter.toString(16).padStart(12, "0")}`;
}

export function eventBody(overrides: Record<string, unknown> = {}) {
  return {
    eventName: "loyalty points earned",
    eventID: eventUuid(),
    eventTime: new Date(NOW).toISOString(),
    origin: "sandbox-loyalty-app",
    properties: { points: 50, reason: "order" },
    contact: {
      email: "ada@example.com",
      customProperties: { loyalty_points_balance: 150, loyalty_tier: "Gold" },
    },
    ...overrides,
  };
}

export function contactBody(email: string, extra: Record<string, unknown> = {}) {
  return {
    identifiers: [{ type: "email", id: email, channels: { email: { status: "nonSubscribed" } } }],
    ...extra,
  };
}

/**
 * One stand-in per test, closed after it: `start()` boots it with a manual clock, `s()` is the
 * running one. Call at the top of a test file.
 */
export function standInPerTest() {
  let standIn: OmnisendStandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });
  return {
    async start(options: OmnisendStandInOptions = {}): Promise<ManualClock> {
      const clock = manualClock();
      standIn = await startOmnisendStandIn({ clock, ...options });
      return clock;
    },
    s(): OmnisendStandIn {
      if (!standIn) throw new Error("stand-in not started");
      return standIn;
    },
  };
}
