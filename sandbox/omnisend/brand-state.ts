/**
 * The in-memory Omnisend brand behind the stand-in: contacts, events, the request log, revoked
 * keys and injected faults. Everything is public and plain so tests can assert on what the app
 * actually caused, not only on the HTTP responses it saw.
 */
import { randomBytes } from "node:crypto";
import { toOmnisendTime } from "./field-rules";
import type { IdentifierType, RequestLogEntry, StoredContact, StoredEvent } from "./model";

/** An HTTP status to answer with, or "timeout": the request is accepted and never answered. */
export type Fault = number | "timeout";

export class BrandState {
  readonly events: StoredEvent[] = [];
  readonly requests: RequestLogEntry[] = [];

  private readonly contactsById = new Map<string, StoredContact>();
  /** `email:<lower-case address>` or `phone:<number>` → contact id. */
  private readonly identifierIndex = new Map<string, string>();
  /** eventID + eventTime (ms) of historical events already accepted. */
  private readonly historicalEventKeys = new Set<string>();
  private readonly revoked: Set<string>;
  private faults: Fault[] = [];
  private outage = false;
  private idCounter = 0;

  constructor(
    readonly clock: () => number,
    private readonly initiallyRevoked: readonly string[] = [],
  ) {
    this.revoked = new Set(initiallyRevoked);
  }

  // --- inspection -------------------------------------------------------------------------

  /** Every contact, in creation order. */
  get contacts(): StoredContact[] {
    return [...this.contactsById.values()];
  }

  contactById(id: string): StoredContact | undefined {
    return this.contactsById.get(id);
  }

  /** Emails match case-insensitively (stored lower-cased). */
  contactByEmail(email: string): StoredContact | undefined {
    return this.contactByIdentifier("email", email);
  }

  contactByPhone(phone: string): StoredContact | undefined {
    return this.contactByIdentifier("phone", phone);
  }

  contactByIdentifier(type: IdentifierType, value: string): StoredContact | undefined {
    const id = this.identifierIndex.get(identifierKey(type, value));
    return id === undefined ? undefined : this.contactsById.get(id);
  }

  /** Accepted events with this name, duplicates included (see `StoredEvent.duplicate`). */
  eventsNamed(name: string): StoredEvent[] {
    return this.events.filter((e) => e.eventName === name);
  }

  // --- keys and faults --------------------------------------------------------------------

  /** From now on the key gets 401, as after the merchant deletes it in Omnisend. */
  revokeKey(key: string): void {
    this.revoked.add(key);
  }

  isRevoked(key: string): boolean {
    return this.revoked.has(key);
  }

  /**
   * The next `count` requests fail with `status` (e.g. 500, 503, or 429 with `retryAfter: 1`)
   * before auth, limits or validation run. "timeout" accepts a request and never answers it
   * (until the stand-in closes), so the client's own timeout has to fire.
   */
  failNext(count: number, status: Fault = 500): void {
    for (let i = 0; i < count; i++) this.faults.push(status);
  }

  /** While on, every request gets 503, as during an Omnisend incident. */
  setOutage(on: boolean): void {
    this.outage = on;
  }

  /** Consumes one injected fault, if any; the server calls it once per request. */
  takeFault(): Fault | undefined {
    if (this.outage) return 503;
    return this.faults.shift();
  }

  /** Forgets contacts, events, requests, faults and runtime revocations (not rate limits). */
  reset(): void {
    this.events.length = 0;
    this.requests.length = 0;
    this.contactsById.clear();
    this.identifierIndex.clear();
    this.historicalEventKeys.clear();
    this.revoked.clear();
    for (const key of this.initiallyRevoked) this.revoked.add(key);
    this.faults = [];
    this.outage = false;
  }

  // --- used by the routes -----------------------------------------------------------------

  isoNow(): string {
    return toOmnisendTime(this.clock());
  }

  /** 24 hex characters like a MongoDB ObjectId: seconds, then random bytes, then a counter. */
  newContactId(): string {
    const seconds = Math.floor(this.clock() / 1000) >>> 0;
    const counter = this.idCounter++ & 0xffffff;
    return (
      seconds.toString(16).padStart(8, "0") +
      randomBytes(5).toString("hex") +
      counter.toString(16).padStart(6, "0")
    );
  }

  saveContact(contact: StoredContact): void {
    this.contactsById.set(contact.id, contact);
    for (const identifier of contact.identifiers) {
      this.identifierIndex.set(identifierKey(identifier.type, identifier.id), contact.id);
    }
  }

  /** Whether a historical event with this eventID and eventTime was accepted before. */
  isHistoricalDuplicate(eventID: string, eventTimeMs: number): boolean {
    return this.historicalEventKeys.has(`${eventID}|${eventTimeMs}`);
  }

  recordEvent(event: StoredEvent, eventTimeMs: number): void {
    if (event.historical) this.historicalEventKeys.add(`${event.eventID}|${eventTimeMs}`);
    this.events.push(event);
  }
}

export function identifierKey(type: IdentifierType, value: string): string {
  return type === "email" ? `email:${value.trim().toLowerCase()}` : `phone:${value.trim()}`;
}
