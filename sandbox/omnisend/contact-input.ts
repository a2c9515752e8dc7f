/**
 * Turns the two shapes a contact arrives in into one `ContactChange`: a `ContactRequest`
 * (contacts API: `identifiers[]` with channels and consent) and an event's `contact`
 * (`contactDto.Contact`: flat `email`/`phone`, `optIns`, `optOuts`, `consents`). Both have
 * already passed schema validation; this adds the rules the contracts state only in words
 * (E.164 phones, custom-property limits) and reports them as Omnisend `FieldError`s.
 */
import { customPropertyErrors, asCustomProperties } from "./custom-properties";
import { isE164Phone, isEmail } from "./field-rules";
import type {
  Channel,
  ChannelStatus,
  CustomPropertyValue,
  IdentifierType,
  JsonObject,
  StoredConsent,
} from "./model";
import type { FieldError } from "./problems";
import { isPlainObject } from "./schema-validator";

export const PROFILE_FIELDS = [
  "firstName",
  "lastName",
  "address",
  "city",
  "state",
  "country",
  "countryCode",
  "postalCode",
  "birthdate",
  "gender",
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export interface IdentifierChange {
  type: IdentifierType;
  id: string;
  /** Set when the request states a subscription status for the identifier's channel. */
  status?: ChannelStatus;
  statusChangedAt?: string;
}

export interface ContactChange {
  identifiers: IdentifierChange[];
  profile: Partial<Record<ProfileField, string>>;
  tags: string[];
  customProperties: Record<string, CustomPropertyValue>;
  consents: StoredConsent[];
}

export interface ParsedContact {
  change: ContactChange;
  errors: FieldError[];
}

export const CHANNEL_OF: Record<IdentifierType, Channel> = { email: "email", phone: "sms" };

function isChannel(value: unknown): value is Channel {
  return value === "email" || value === "sms";
}

function identifierErrors(type: IdentifierType, value: string, field: string): FieldError[] {
  if (type === "email" && !isEmail(value)) {
    return [{ field, code: "invalid_format", message: "Must be a valid email address." }];
  }
  if (type === "phone" && !isE164Phone(value)) {
    const message = "Must be a phone number in E.164 format, e.g. +1234567890.";
    return [{ field, code: "invalid_format", message }];
  }
  return [];
}

function profileOf(body: JsonObject): ContactChange["profile"] {
  const profile: ContactChange["profile"] = {};
  for (const field of PROFILE_FIELDS) {
    const value = body[field];
    if (typeof value === "string") profile[field] = value;
  }
  return profile;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter((v): v is JsonObject => isPlainObject(v)) : [];
}

function consentOf(channel: Channel, raw: JsonObject, now: string): StoredConsent {
  const consent: StoredConsent = {
    channel,
    createdAt: typeof raw.createdAt === "string" ? raw.createdAt : now,
  };
  for (const key of ["source", "ip", "userAgent"] as const) {
    const value = raw[key];
    if (typeof value === "string") consent[key] = value;
  }
  return consent;
}

/** `POST /contacts`, `PATCH /contacts?email=`, `PATCH /contacts/{id}`. */
export function parseContactRequest(body: JsonObject, now: string): ParsedContact {
  const errors: FieldError[] = [];
  const consents: StoredConsent[] = [];
  const identifiers = objects(body.identifiers).map((raw, i): IdentifierChange => {
    const type = raw.type as IdentifierType;
    const id = String(raw.id);
    errors.push(...identifierErrors(type, id, `identifiers.${i}.id`));
    const channel = CHANNEL_OF[type];
    const channels = isPlainObject(raw.channels) ? raw.channels : {};
    const state = channels[channel];
    const change: IdentifierChange = { type, id };
    if (isPlainObject(state) && typeof state.status === "string") {
      change.status = state.status as ChannelStatus;
      if (typeof state.statusChangedAt === "string") change.statusChangedAt = state.statusChangedAt;
    }
    if (isPlainObject(raw.consent)) consents.push(consentOf(channel, raw.consent, now));
    return change;
  });
  errors.push(...customPropertyErrors(body.customProperties, "customProperties"));
  const customProperties = asCustomProperties(body.customProperties);
  // "If provided, stored as "externalCreated" custom property" (contract, ContactRequest.createdAt).
  if (typeof body.createdAt === "string") customProperties.externalCreated = body.createdAt;
  return {
    change: {
      identifiers,
      profile: profileOf(body),
      tags: strings(body.tags),
      customProperties,
      consents,
    },
    errors,
  };
}

/** An event's `contact`: created or updated along with the event. */
export function parseEventContact(contact: JsonObject, now: string): ParsedContact {
  const errors: FieldError[] = [];
  const identifiers: IdentifierChange[] = [];
  const email = typeof contact.email === "string" ? contact.email.trim() : "";
  const phone = typeof contact.phone === "string" ? contact.phone.trim() : "";
  if (email) identifiers.push({ type: "email", id: email });
  if (phone) identifiers.push({ type: "phone", id: phone });
  if (!email && !phone) {
    const message = "The contact must have an email or a phone identifier.";
    errors.push({ field: "contact", code: "missing_identifier", message });
  }
  if (email) errors.push(...identifierErrors("email", email, "contact.email"));
  if (phone) errors.push(...identifierErrors("phone", phone, "contact.phone"));

  // optIns/optOuts set the status of the matching identifier's channel (email, or sms for phone).
  const statusChanges = (list: unknown, status: ChannelStatus) => {
    for (const entry of objects(list)) {
      if (!isChannel(entry.channel)) continue;
      const channel = entry.channel;
      const at = typeof entry.createdAt === "string" ? entry.createdAt : now;
      const target = identifiers.find((i) => CHANNEL_OF[i.type] === channel);
      if (target) Object.assign(target, { status, statusChangedAt: at });
    }
  };
  statusChanges(contact.optIns, "subscribed");
  statusChanges(contact.optOuts, "unsubscribed");
  const consents = objects(contact.consents)
    .filter((c) => isChannel(c.channel))
    .map((c) => consentOf(c.channel as Channel, c, now));
  errors.push(...customPropertyErrors(contact.customProperties, "contact.customProperties"));
  return {
    change: {
      identifiers,
      profile: profileOf(contact),
      tags: strings(contact.tags),
      customProperties: asCustomProperties(contact.customProperties),
      consents,
    },
    errors,
  };
}
