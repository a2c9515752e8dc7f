/**
 * Creating, updating and serialising contacts. One merge for every write (events, POST, both
 * PATCHes): profile fields are overwritten by what is sent, customProperties and tags are merged
 * (the contract does not say; see the README's guesses), identifiers are added.
 *
 * Two contacts never share an identifier. Omnisend ignores a duplicate identifier on create and
 * upsert; a PATCH that would take another contact's identifier gets 409 (contract).
 */
import type { BrandState } from "./brand-state";
import type { ContactChange, IdentifierChange } from "./contact-input";
import { CHANNEL_OF, PROFILE_FIELDS } from "./contact-input";
import { checkPropertyCount } from "./custom-properties";
import type { JsonObject, StoredContact, StoredIdentifier } from "./model";
import { failValidation, failWith } from "./problems";

export type ForeignIdentifierPolicy = "ignore" | "conflict";

/** The contact a change addresses: by its first email identifier, else its first phone. */
export function findContactFor(
  state: BrandState,
  change: ContactChange,
): StoredContact | undefined {
  const email = change.identifiers.find((i) => i.type === "email");
  if (email) {
    const found = state.contactByEmail(email.id);
    if (found) return found;
  }
  const phone = change.identifiers.find((i) => i.type === "phone");
  return phone ? state.contactByPhone(phone.id) : undefined;
}

function storedIdentifier(change: IdentifierChange, now: string): StoredIdentifier {
  const id = change.type === "email" ? change.id.trim().toLowerCase() : change.id.trim();
  return {
    type: change.type,
    id,
    channels: {
      [CHANNEL_OF[change.type]]: {
        // Omnisend creates API contacts non-subscribed unless a status is sent.
        status: change.status ?? "nonSubscribed",
        statusChangedAt: change.statusChangedAt ?? now,
      },
    },
  };
}

/** Identifiers of the change that belong to a contact other than `owner`. */
function foreignIdentifiers(
  state: BrandState,
  change: ContactChange,
  owner: StoredContact | undefined,
): IdentifierChange[] {
  return change.identifiers.filter((i) => {
    const holder = state.contactByIdentifier(i.type, i.id);
    return holder !== undefined && holder.id !== owner?.id;
  });
}

/**
 * Adds new identifiers and applies sent statuses; re-sending an identifier without a status keeps
 * the one it has. A channel that becomes subscribed gets an opt-in record.
 */
function applyIdentifiers(
  contact: StoredContact,
  identifiers: IdentifierChange[],
  now: string,
): void {
  for (const change of identifiers) {
    const incoming = storedIdentifier(change, now);
    const channel = CHANNEL_OF[change.type];
    const existing = contact.identifiers.find(
      (i) => i.type === incoming.type && i.id === incoming.id,
    );
    const before = existing?.channels[channel]?.status;
    if (!existing) contact.identifiers.push(incoming);
    else if (change.status !== undefined && before !== change.status) {
      existing.channels[channel] = incoming.channels[channel]!;
    } else continue;
    if (change.status === "subscribed" && before !== "subscribed") {
      contact.optIns.push({ channel, optInAt: change.statusChangedAt ?? now });
    }
  }
}

function applyChange(
  state: BrandState,
  contact: StoredContact,
  change: ContactChange,
  identifiers: IdentifierChange[],
): void {
  const now = state.isoNow();
  const merged = { ...contact.customProperties, ...change.customProperties };
  const tooMany = checkPropertyCount(Object.keys(merged).length, "customProperties");
  if (tooMany) failValidation([tooMany]);

  applyIdentifiers(contact, identifiers, now);
  for (const field of PROFILE_FIELDS) {
    const value = change.profile[field];
    if (value !== undefined) (contact as unknown as Record<string, string>)[field] = value;
  }
  contact.customProperties = merged;
  for (const tag of change.tags) if (!contact.tags.includes(tag)) contact.tags.push(tag);
  contact.consents.push(...change.consents);
  contact.updatedAt = now;
  state.saveContact(contact);
}

/**
 * Creates the contact the change addresses, or updates it; a duplicate identifier (held by a
 * different contact) is ignored. Throws a 400 when nothing identifies a contact.
 */
export function upsertContact(
  state: BrandState,
  change: ContactChange,
): { contact: StoredContact; created: boolean } {
  const existing = findContactFor(state, change);
  const foreign = new Set(foreignIdentifiers(state, change, existing));
  const usable = change.identifiers.filter((i) => !foreign.has(i));
  if (existing) {
    applyChange(state, existing, change, usable);
    return { contact: existing, created: false };
  }
  if (usable.length === 0) {
    failValidation([
      {
        field: "identifiers",
        code: "required",
        message: "At least one email or phone identifier is required.",
      },
    ]);
  }
  const now = state.isoNow();
  const contact: StoredContact = {
    id: state.newContactId(),
    identifiers: [],
    tags: [],
    customProperties: {},
    consents: [],
    optIns: [],
    createdAt: now,
    updatedAt: now,
  };
  applyChange(state, contact, change, usable);
  return { contact, created: true };
}

/** A PATCH: the contact must exist (404 otherwise) and may not take another's identifier (409). */
export function updateContact(
  state: BrandState,
  contact: StoredContact | undefined,
  change: ContactChange,
): StoredContact {
  if (!contact) failWith(404, "Contact not found.");
  const taken = foreignIdentifiers(state, change, contact)[0];
  if (taken) failWith(409, `Contact identifier ${taken.type} '${taken.id}' already exists.`);
  applyChange(state, contact, change, change.identifiers);
  return contact;
}

/**
 * The `ContactResponse` schema. A deep copy through JSON, so a caller cannot change the stored
 * contact, and fields the contact does not have (undefined) are left out.
 */
export function toContactResponse(contact: StoredContact): JsonObject {
  const email = contact.identifiers.find((i) => i.type === "email");
  const phones = contact.identifiers.filter((i) => i.type === "phone").map((i) => i.id);
  const profile = Object.fromEntries(PROFILE_FIELDS.map((field) => [field, contact[field]]));
  const response = {
    id: contact.id,
    email: email?.id,
    phone: phones.length > 0 ? phones : undefined,
    ...profile,
    status: email?.channels.email?.status,
    statuses: contact.identifiers.flatMap((i) =>
      Object.entries(i.channels).map(([channel, s]) => ({ channel, ...s })),
    ),
    identifiers: contact.identifiers,
    tags: contact.tags,
    customProperties: contact.customProperties,
    consents: contact.consents,
    optIns: contact.optIns,
    segments: [],
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
  };
  return JSON.parse(JSON.stringify(response)) as JsonObject;
}
