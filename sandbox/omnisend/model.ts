/**
 * Records the Omnisend stand-in keeps. Field names follow Omnisend's wire format (camelCase, `ID`
 * suffixes) so a test can compare what the app sent with what was stored without translating.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type Channel = "email" | "sms";
export type ChannelStatus = "subscribed" | "unsubscribed" | "nonSubscribed";
export type IdentifierType = "email" | "phone";

export interface ChannelState {
  status: ChannelStatus;
  statusChangedAt: string;
}

export interface StoredIdentifier {
  type: IdentifierType;
  /** An email is stored lower-cased; a phone as sent (E.164). */
  id: string;
  /** Keyed by channel: `email` for an email identifier, `sms` for a phone. */
  channels: Partial<Record<Channel, ChannelState>>;
}

export interface StoredConsent {
  channel: Channel;
  createdAt: string;
  source?: string;
  ip?: string;
  userAgent?: string;
}

export interface StoredOptIn {
  channel: Channel;
  optInAt: string;
}

/** Scalars and lists of scalars: Omnisend stores no objects in custom properties. */
export type CustomPropertyValue = string | number | boolean | null | (string | number | boolean)[];

export interface StoredContact {
  /** 24 hex characters, shaped like Omnisend's ids (e.g. `60a6170920d91c215e949b5c`). */
  id: string;
  identifiers: StoredIdentifier[];
  firstName?: string;
  lastName?: string;
  address?: string;
  city?: string;
  state?: string;
  country?: string;
  countryCode?: string;
  postalCode?: string;
  birthdate?: string;
  gender?: "m" | "f";
  tags: string[];
  /** Merged across every request that touched the contact. */
  customProperties: Record<string, CustomPropertyValue>;
  consents: StoredConsent[];
  optIns: StoredOptIn[];
  createdAt: string;
  updatedAt: string;
}

export interface StoredEvent {
  /** The eventID sent, or a generated UUID when none was sent (as Omnisend does). */
  eventID: string;
  eventName: string;
  /** Normalised to RFC 3339 UTC; the time sent, or the receive time when none was sent. */
  eventTime: string;
  eventVersion: string;
  origin: string;
  properties: JsonObject;
  /** The contact the event was applied to; for a dropped duplicate, the contact it names, if any. */
  contactID: string | null;
  receivedAt: string;
  /** eventTime is older than the stand-in's historical threshold, so it is deduplicated. */
  historical: boolean;
  /**
   * A historical event repeating an earlier eventID + eventTime. Omnisend drops it; the stand-in
   * records it (flagged) so a test can see that the app sent it twice.
   */
  duplicate: boolean;
  /** The request body exactly as parsed. */
  body: JsonObject;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  /** Path as requested, including the `/api` prefix. */
  path: string;
  query: string;
  status: number;
  /** The `Omnisend-Version` header sent, or null. */
  version: string | null;
  body: Json;
}
