/**
 * Value rules that the contracts state in descriptions rather than schema keywords: event UUIDs,
 * event timestamps, E.164 phones, email addresses. Kept in one place so the event and contact
 * routes apply the same checks.
 */

/** "UUID of the event (v4, v5, v6, v7)". */
const EVENT_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[4-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * "Accepts RFC 3339 (e.g. "2021-07-01T00:00:00Z") and the space-separated form
 * "YYYY-MM-DD HH:MM:SS±HH:MM"". Both need an offset, so a time is never read as local time.
 */
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** E.164: a plus, then up to 15 digits not starting with 0. */
const E164_PHONE = /^\+[1-9]\d{1,14}$/;

/** Loose on purpose: the stand-in should not reject addresses Omnisend accepts. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEventUuid(value: string): boolean {
  return EVENT_UUID.test(value);
}

/** Milliseconds since the epoch, or undefined when the value is not an accepted timestamp. */
export function parseEventTime(value: string): number | undefined {
  if (!EVENT_TIME.test(value)) return undefined;
  const ms = Date.parse(value.replace(" ", "T"));
  return Number.isNaN(ms) ? undefined : ms;
}

export function isE164Phone(value: string): boolean {
  return E164_PHONE.test(value);
}

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** Omnisend's timestamps: RFC 3339 in UTC to the second (`2021-05-20T12:00:00Z`). */
export function toOmnisendTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
