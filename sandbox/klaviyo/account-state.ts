/**
 * The in-memory Klaviyo account behind the stand-in. Everything is public and plain so tests can
 * assert on what the app actually caused, not only on the HTTP responses it saw.
 */
import { randomBytes, randomInt } from "node:crypto";
import type {
  AccountSettings,
  EventBulkJob,
  JsonObject,
  MetricIntegration,
  ProfileImportJob,
  RequestLogEntry,
  StoredEvent,
  StoredList,
  StoredMetric,
  StoredProfile,
  SubscriptionJob,
} from "./model";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export const DEFAULT_ACCOUNT: AccountSettings = {
  id: "SbxK1v",
  test_account: true,
  organization_name: "Sandbox Loyalty Store",
  default_sender_name: "Sandbox Loyalty Store",
  default_sender_email: "owner@sandbox-store.test",
  website_url: "https://sandbox-store.test",
  industry: "Ecommerce",
  timezone: "UTC",
  preferred_currency: "USD",
  locale: "en-US",
};

/** Private-key traffic lands on the generic "API" integration (cog icon in Klaviyo's UI). */
export const API_INTEGRATION: MetricIntegration = {
  object: "integration",
  id: "7FtS4J",
  key: "api",
  name: "API",
  category: "API",
};

interface EventIdentity {
  profileId: string;
  metricId: string;
  uniqueId: string;
}

/** An HTTP status to answer with, or "timeout": no answer at all. */
export type Fault = number | "timeout";

export class AccountState {
  account: AccountSettings;
  readonly profiles = new Map<string, StoredProfile>();
  readonly events: StoredEvent[] = [];
  readonly metrics = new Map<string, StoredMetric>();
  readonly lists = new Map<string, StoredList>();
  readonly profileImportJobs = new Map<string, ProfileImportJob>();
  readonly eventBulkJobs: EventBulkJob[] = [];
  readonly subscriptionJobs: SubscriptionJob[] = [];
  readonly requests: RequestLogEntry[] = [];

  private readonly eventKeys = new Set<string>();
  /** identifier kind + value → profile id, so a lookup does not scan every profile. */
  private readonly identifiers = new Map<string, string>();
  private readonly faults: Fault[] = [];
  private outage = false;

  constructor(
    readonly clock: () => number,
    account: Partial<AccountSettings> = {},
  ) {
    this.account = { ...DEFAULT_ACCOUNT, ...account };
  }

  // --- fault injection -------------------------------------------------------------------

  /**
   * The next `count` requests fail with `status` before auth, limits or validation run; a
   * 429 comes with Klaviyo's throttle body and `Retry-After: 1`. "timeout" accepts the request and
   * never answers (until the stand-in closes), so the client's own timeout has to fire.
   */
  failNext(count: number, status: Fault = 500): void {
    for (let i = 0; i < count; i++) this.faults.push(status);
  }

  /** While on, every API request gets 503, as during a Klaviyo incident. */
  setOutage(on: boolean): void {
    this.outage = on;
  }

  /** Consumes one injected fault, if any. Used by the server for each incoming request. */
  takeFault(): Fault | undefined {
    if (this.outage) return 503;
    return this.faults.shift();
  }

  // --- clocks and ids ---------------------------------------------------------------------

  /** Klaviyo's timestamp style: second precision with an explicit +00:00 offset. */
  isoNow(): string {
    return toKlaviyoTime(this.clock());
  }

  /** ULID-shaped, like Klaviyo's profile and job ids (26 Crockford base32 characters). */
  newUlid(): string {
    let time = this.clock();
    let head = "";
    for (let i = 0; i < 10; i++) {
      head = CROCKFORD[time % 32] + head;
      time = Math.floor(time / 32);
    }
    let tail = "";
    for (const b of randomTail()) tail += CROCKFORD[b % 32];
    return head + tail;
  }

  /** Six characters, like Klaviyo's metric and list ids. */
  newShortId(): string {
    return Array.from({ length: 6 }, () => ALNUM[randomInt(ALNUM.length)]).join("");
  }

  // --- queries for tests ------------------------------------------------------------------

  findProfile(by: {
    id?: string;
    email?: string;
    phone_number?: string;
    external_id?: string;
  }): StoredProfile | undefined {
    if (by.id !== undefined) return this.profiles.get(by.id);
    if (by.email !== undefined) return this.profileHolding("email", by.email);
    if (by.phone_number !== undefined) return this.profileHolding("phone_number", by.phone_number);
    if (by.external_id !== undefined) return this.profileHolding("external_id", by.external_id);
    return undefined;
  }

  /** The profile holding an identifier (emails compare case-insensitively), if any. */
  profileHolding(
    key: "email" | "phone_number" | "external_id" | "anonymous_id",
    value: string,
  ): StoredProfile | undefined {
    const id = this.identifiers.get(identifierKey(key, value));
    const profile = id === undefined ? undefined : this.profiles.get(id);
    // The index can outlive a profile (tests clear `profiles`); the profile itself decides.
    if (!profile) return undefined;
    return (key === "email" ? sameEmail(profile.email, value) : profile[key] === value)
      ? profile
      : undefined;
  }

  /** Keeps the identifier index in step when a profile's identifier changes. */
  noteIdentifier(
    profile: StoredProfile,
    key: "email" | "phone_number" | "external_id" | "anonymous_id",
    previous: string | null,
  ): void {
    if (previous !== null) this.identifiers.delete(identifierKey(key, previous));
    const next = profile[key];
    if (next !== null) this.identifiers.set(identifierKey(key, next), profile.id);
  }

  metricByName(name: string): StoredMetric | undefined {
    for (const metric of this.metrics.values()) if (metric.name === name) return metric;
    return undefined;
  }

  eventsForMetric(name: string): StoredEvent[] {
    return this.events.filter((e) => e.metric_name === name);
  }

  listByName(name: string): StoredList | undefined {
    for (const list of this.lists.values()) if (list.name === name) return list;
    return undefined;
  }

  /** Drops all data and injected faults; the account settings stay. */
  reset(): void {
    this.profiles.clear();
    this.events.length = 0;
    this.metrics.clear();
    this.lists.clear();
    this.profileImportJobs.clear();
    this.eventBulkJobs.length = 0;
    this.subscriptionJobs.length = 0;
    this.requests.length = 0;
    this.eventKeys.clear();
    this.faults.length = 0;
    this.outage = false;
  }

  // --- writes used by the routes --------------------------------------------------------

  ensureMetric(name: string, integration: MetricIntegration): StoredMetric {
    const existing = this.metricByName(name);
    if (existing) return existing;
    const now = this.isoNow();
    const metric: StoredMetric = {
      id: this.newShortId(),
      name,
      created: now,
      updated: now,
      integration,
    };
    this.metrics.set(metric.id, metric);
    return metric;
  }

  /**
   * Stores the event unless one with the same profile, metric and unique_id exists: Klaviyo
   * records "only the first processed event". Returns whether it was stored.
   */
  addEvent(event: Omit<StoredEvent, "id" | "received_at">): StoredEvent | undefined {
    const key = eventKey({
      profileId: event.profile_id,
      metricId: event.metric_id,
      uniqueId: event.unique_id,
    });
    if (this.eventKeys.has(key)) return undefined;
    this.eventKeys.add(key);
    const stored: StoredEvent = { ...event, id: this.newUlid(), received_at: this.isoNow() };
    this.events.push(stored);
    const profile = this.profiles.get(event.profile_id);
    if (profile && (profile.last_event_date === null || profile.last_event_date < event.time)) {
      profile.last_event_date = event.time;
    }
    return stored;
  }

  createList(name: string, optIn: StoredList["opt_in_process"]): StoredList {
    const now = this.isoNow();
    const list: StoredList = {
      id: this.newShortId(),
      name,
      opt_in_process: optIn,
      created: now,
      updated: now,
      profile_ids: new Set(),
      joined_at: new Map(),
    };
    this.lists.set(list.id, list);
    return list;
  }

  /** Adds a profile to a list; one already on it keeps its place and join time. */
  addToList(listId: string, profileId: string): void {
    const list = this.lists.get(listId);
    if (!list || list.profile_ids.has(profileId)) return;
    list.profile_ids.add(profileId);
    list.joined_at.set(profileId, this.isoNow());
  }

  newProfile(): StoredProfile {
    const now = this.isoNow();
    return {
      id: this.newUlid(),
      email: null,
      phone_number: null,
      external_id: null,
      anonymous_id: null,
      first_name: null,
      last_name: null,
      organization: null,
      locale: null,
      title: null,
      image: null,
      location: null,
      properties: {} as JsonObject,
      subscriptions: {},
      created: now,
      updated: now,
      last_event_date: null,
    };
  }
}

/**
 * Seconds already formatted. A bulk request formats a thousand events' times and receipt times,
 * nearly all in a few distinct seconds; the cache is emptied when it holds 256.
 */
const formattedSeconds = new Map<number, string>();

export function toKlaviyoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  let formatted = formattedSeconds.get(second);
  if (formatted === undefined) {
    formatted = new Date(second * 1000).toISOString().replace(".000Z", "+00:00");
    if (formattedSeconds.size >= 256) formattedSeconds.clear();
    formattedSeconds.set(second, formatted);
  }
  return formatted;
}

function identifierKey(key: string, value: string): string {
  return `${key}\u0000${key === "email" ? value.trim().toLowerCase() : value}`;
}

export function sameEmail(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();
}

function eventKey(identity: EventIdentity): string {
  return `${identity.profileId}\u0000${identity.metricId}\u0000${identity.uniqueId}`;
}

// One randomBytes call per id cost the stand-in more CPU than validating the event (100,000-event
// drains): ids take 16 bytes each from a pool refilled 4 KiB at a time.
let randomPool = Buffer.alloc(0);
let randomOffset = 0;
function randomTail(): Buffer {
  if (randomOffset + 16 > randomPool.length) {
    randomPool = randomBytes(4096);
    randomOffset = 0;
  }
  randomOffset += 16;
  return randomPool.subarray(randomOffset - 16, randomOffset);
}
