/**
 * `POST /events`: records a customer event and creates or updates its contact in one call.
 *
 * Deduplication follows the contract: eventID + eventTime deduplicate historical events only,
 * never real-time ones (those trigger automations). Where "historical" begins is not documented;
 * the stand-in calls an event historical when its eventTime is older than
 * `historicalEventAgeMs` (default one hour) by the stand-in's clock. A duplicate still gets 202
 * and is recorded with `duplicate: true`, but is not applied to the contact.
 */
import { randomUUID } from "node:crypto";
import { parseEventContact } from "./contact-input";
import { findContactFor, upsertContact } from "./contacts";
import { isEventUuid, parseEventTime, toOmnisendTime } from "./field-rules";
import type { JsonObject } from "./model";
import type { FieldError } from "./problems";
import { failValidation } from "./problems";
import type { RouteContext, RouteResult } from "./route-types";
import { isPlainObject } from "./schema-validator";

export const DEFAULT_HISTORICAL_EVENT_AGE_MS = 60 * 60 * 1000;

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

export function sendEvent({ state, body, historicalEventAgeMs }: RouteContext): RouteResult {
  const now = state.clock();
  const errors: FieldError[] = [];

  // The contract marks nothing required, but an event without a name cannot be stored or
  // trigger anything; the stand-in rejects it (a guess).
  // Stored exactly as sent: Omnisend matches event names with case and spacing.
  const eventName = typeof body.eventName === "string" ? body.eventName : "";
  if (!eventName.trim())
    errors.push({ field: "eventName", code: "required", message: "Required." });

  const sentID = text(body.eventID);
  if (sentID && !isEventUuid(sentID)) {
    const message = "Must be a UUID (version 4, 5, 6 or 7).";
    errors.push({ field: "eventID", code: "invalid_format", message });
  }

  let eventTimeMs = now;
  if (body.eventTime !== undefined) {
    const parsed = parseEventTime(String(body.eventTime));
    if (parsed === undefined) {
      const message = "Must be RFC 3339 (2021-07-01T00:00:00Z) or 'YYYY-MM-DD HH:MM:SS±HH:MM'.";
      errors.push({ field: "eventTime", code: "invalid_format", message });
    } else eventTimeMs = parsed;
  }

  // "A custom event needs an identified contact (email or phone), else 400."
  const contactBody = isPlainObject(body.contact) ? (body.contact as JsonObject) : undefined;
  const contact = contactBody ? parseEventContact(contactBody, state.isoNow()) : undefined;
  if (contact) errors.push(...contact.errors);
  else {
    const message = "The event must name a contact with an email or a phone.";
    errors.push({ field: "contact", code: "required", message });
  }
  if (errors.length > 0 || !contact) failValidation(errors);

  const eventID = sentID || randomUUID();
  const historical = now - eventTimeMs > historicalEventAgeMs;
  const duplicate = historical && state.isHistoricalDuplicate(eventID, eventTimeMs);
  const contactID = duplicate
    ? (findContactFor(state, contact.change)?.id ?? null)
    : upsertContact(state, contact.change).contact.id;

  state.recordEvent(
    {
      eventID,
      eventName,
      eventTime: toOmnisendTime(eventTimeMs),
      eventVersion: text(body.eventVersion),
      origin: text(body.origin),
      properties: isPlainObject(body.properties) ? (body.properties as JsonObject) : {},
      contactID,
      receivedAt: toOmnisendTime(now),
      historical,
      duplicate,
      body,
    },
    eventTimeMs,
  );
  return { status: 202 };
}
