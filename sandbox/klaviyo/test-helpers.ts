/**
 * Helpers for the stand-in's own tests: plain fetch (so they do not depend on the SDK), a
 * hand-driven clock, and body builders in Klaviyo's wire format (snake_case).
 */
import { afterEach } from "vitest";
import type { KlaviyoStandIn, KlaviyoStandInOptions } from "./server";
import { startKlaviyoStandIn } from "./server";

export const PRIVATE_KEY = "pk_sandbox_0123456789abcdef0123456789ab";
export const REVISION = "2026-07-15";

export interface ManualClock {
  (): number;
  advance(ms: number): void;
  set(ms: number): void;
}

/** Starts half a second into a second so "the next window" is unambiguous in tests. */
export function manualClock(start = Date.UTC(2026, 7, 3, 12, 0, 0, 500)): ManualClock {
  let now = start;
  const clock = (() => now) as ManualClock;
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (ms) => {
    now = ms;
  };
  return clock;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body; assert on it with toMatchObject, or read resources with `resource()`. */
  json: unknown;
}

export interface ResourceView {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
}

/** The primary resource of a single-resource document (throws if the body has none). */
export function resource(reply: Reply): ResourceView {
  const data = (reply.json as { data?: ResourceView } | undefined)?.data;
  if (!data || typeof data.id !== "string") throw new Error(`No resource in: ${reply.text}`);
  return data;
}

export function errorsOf(
  reply: Reply,
): { code: string; detail: string; source?: { pointer?: string } }[] {
  return (reply.json as { errors?: [] } | undefined)?.errors ?? [];
}

export async function call(
  standIn: KlaviyoStandIn,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<Reply> {
  const merged: Record<string, string> = {};
  const defaults = {
    Authorization: `Klaviyo-API-Key ${PRIVATE_KEY}`,
    revision: REVISION,
    Accept: "application/vnd.api+json",
    "Content-Type": "application/json",
  };
  for (const [k, v] of Object.entries({ ...defaults, ...headers }))
    if (v !== undefined) merged[k] = v;
  const res = await fetch(standIn.url + path, {
    method,
    headers: merged,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: text ? JSON.parse(text) : undefined,
  };
}

export interface EventSpec {
  email?: string;
  metric?: string;
  uniqueId?: string;
  properties?: Record<string, unknown>;
  time?: string;
  value?: unknown;
}

export function eventAttributes(spec: EventSpec = {}) {
  const attributes: Record<string, unknown> = {
    properties: spec.properties ?? { points_earned: 50, reason: "order" },
    metric: {
      data: { type: "metric", attributes: { name: spec.metric ?? "Loyalty Points Earned" } },
    },
  };
  if (spec.uniqueId !== undefined) attributes.unique_id = spec.uniqueId;
  if (spec.time !== undefined) attributes.time = spec.time;
  if (spec.value !== undefined) attributes.value = spec.value;
  return attributes;
}

export function eventBody(spec: EventSpec = {}) {
  const profile = {
    data: { type: "profile", attributes: { email: spec.email ?? "ada@example.com" } },
  };
  return { data: { type: "event", attributes: { ...eventAttributes(spec), profile } } };
}

export function bulkEventsBody(entries: { email: string; events: EventSpec[] }[]) {
  return {
    data: {
      type: "event-bulk-create-job",
      attributes: {
        "events-bulk-create": {
          data: entries.map((entry) => ({
            type: "event-bulk-create",
            attributes: {
              profile: { data: { type: "profile", attributes: { email: entry.email } } },
              events: {
                data: entry.events.map((e) => ({ type: "event", attributes: eventAttributes(e) })),
              },
            },
          })),
        },
      },
    },
  };
}

export function profileBody(attributes: Record<string, unknown>, id?: string) {
  return { data: { type: "profile", ...(id ? { id } : {}), attributes } };
}

/** Starts a stand-in per test with a manual clock; returns a getter and an afterEach closer. */
export async function withStandIn(
  options: KlaviyoStandInOptions = {},
): Promise<{ standIn: KlaviyoStandIn; clock: ManualClock }> {
  const clock = manualClock();
  const standIn = await startKlaviyoStandIn({ clock, ...options });
  return { standIn, clock };
}

/**
 * One stand-in per test, closed after it: `start()` boots it (manual clock), `s()` is the running
 * one. Call at the top of a test file.
 */
export function standInPerTest() {
  let standIn: KlaviyoStandIn | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });
  return {
    async start(options: KlaviyoStandInOptions = {}): Promise<ManualClock> {
      const started = await withStandIn(options);
      standIn = started.standIn;
      return started.clock;
    },
    s(): KlaviyoStandIn {
      if (!standIn) throw new Error("stand-in not started");
      return standIn;
    },
  };
}
