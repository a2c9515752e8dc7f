/**
 * Profile identity resolution and merge rules shared by profile import, events (which upsert
 * their profile) and subscriptions. Klaviyo documents the merge rule for Create or Update
 * Profile: a field set to null is cleared, an omitted field is left unchanged.
 */
import type { AccountState } from "./account-state";
import type { ApiError } from "./jsonapi";
import type { Json, JsonObject, ProfileLocation, StoredProfile } from "./model";

export interface ProfileWriteError {
  ok: false;
  status: number;
  code: string;
  title: string;
  detail: string;
  pointer: string;
  meta?: JsonObject;
}
export type ProfileWriteResult =
  { ok: true; profile: StoredProfile; created: boolean } | ProfileWriteError;

export interface ProfileWriteOptions {
  /** Pointer of the profile resource object in the request body, e.g. `/data`. */
  pointer: string;
  /**
   * `reject`: identifiers that already belong to different profiles give 409, as Create or
   * Update Profile does. `ignore`: the first match wins and identifiers owned by another
   * profile are not moved, for endpoints that cannot answer 409 (202-and-forget events).
   */
  conflicts: "reject" | "ignore";
}

export function toApiError(e: ProfileWriteError): ApiError {
  const { status, code, title, detail, pointer, meta } = e;
  return meta
    ? { status, code, title, detail, pointer, meta }
    : { status, code, title, detail, pointer };
}

const IDENTIFIERS = ["email", "phone_number", "external_id", "anonymous_id"] as const;
type Identifier = (typeof IDENTIFIERS)[number];
const SCALARS = [
  ...IDENTIFIERS,
  "first_name",
  "last_name",
  "organization",
  "locale",
  "title",
  "image",
] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export function asObject(value: unknown): JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function invalid(pointer: string, detail: string): ProfileWriteError {
  return { ok: false, status: 400, code: "invalid", title: "Invalid input.", detail, pointer };
}

/** Checks that need no account data: an identifier is present and identifiers are well formed. */
export function checkProfileResource(
  resource: JsonObject,
  pointer: string,
): ProfileWriteError | undefined {
  const attrs = asObject(resource.attributes);
  const hasIdentifier =
    str(resource.id) !== undefined ||
    str(attrs._kx) !== undefined ||
    IDENTIFIERS.some((key) => str(attrs[key]) !== undefined);
  if (!hasIdentifier) {
    return invalid(
      `${pointer}/attributes`,
      "One of 'id', 'email', 'phone_number', 'external_id', 'anonymous_id' or '_kx' is required to identify a profile.",
    );
  }
  const email = str(attrs.email);
  if (email !== undefined && !EMAIL.test(email.trim())) {
    return invalid(`${pointer}/attributes/email`, "Invalid email address");
  }
  const phone = str(attrs.phone_number);
  if (phone !== undefined && !E164.test(phone)) {
    return invalid(
      `${pointer}/attributes/phone_number`,
      "Invalid phone number format (Example of a valid format: +13239169023)",
    );
  }
  return undefined;
}

export function checkProfileIdKnown(
  state: AccountState,
  resource: JsonObject,
  pointer: string,
): ProfileWriteError | undefined {
  const id = str(resource.id);
  if (id === undefined || state.profiles.has(id)) return undefined;
  return {
    ok: false,
    status: 404,
    code: "not_found",
    title: "Not found.",
    detail: `A profile with id ${id} does not exist.`,
    pointer: `${pointer}/id`,
  };
}

function holderOf(state: AccountState, key: Identifier, value: string): StoredProfile | undefined {
  return state.profileHolding(key, value);
}

/** Every existing profile that one of the resource's identifiers points at, by precedence. */
function matches(state: AccountState, resource: JsonObject): StoredProfile[] {
  const attrs = asObject(resource.attributes);
  const found: StoredProfile[] = [];
  const id = str(resource.id);
  const byId = id === undefined ? undefined : state.profiles.get(id);
  if (byId) found.push(byId);
  for (const key of IDENTIFIERS) {
    const value = str(attrs[key]);
    const holder = value === undefined ? undefined : holderOf(state, key, value);
    if (holder && !found.includes(holder)) found.push(holder);
  }
  return found;
}

/**
 * A stable key for "the same profile" before anything is written, so a bulk request can be
 * checked for repeated unique_ids without side effects.
 */
export function profileIdentityKey(state: AccountState, resource: JsonObject): string {
  const existing = matches(state, resource)[0];
  if (existing) return existing.id;
  const attrs = asObject(resource.attributes);
  const email = str(attrs.email);
  if (email !== undefined) return `new:email:${email.trim().toLowerCase()}`;
  for (const key of IDENTIFIERS) {
    const value = str(attrs[key]);
    if (value !== undefined) return `new:${key}:${value}`;
  }
  return `new:id:${str(resource.id) ?? str(attrs._kx) ?? ""}`;
}

export function writeProfile(
  state: AccountState,
  resource: JsonObject,
  options: ProfileWriteOptions,
): ProfileWriteResult {
  const problem =
    checkProfileResource(resource, options.pointer) ??
    checkProfileIdKnown(state, resource, options.pointer);
  if (problem) return problem;
  const found = matches(state, resource);
  if (found.length > 1 && options.conflicts === "reject") {
    return {
      ok: false,
      status: 409,
      code: "duplicate_profile",
      title: "Conflict.",
      detail: "A profile already exists with one of these identifiers.",
      pointer: `${options.pointer}/attributes`,
      meta: { duplicate_profile_id: found[1]?.id ?? null },
    };
  }
  const created = found.length === 0;
  const profile = found[0] ?? state.newProfile();
  applyAttributes(state, profile, resource);
  profile.updated = state.isoNow();
  state.profiles.set(profile.id, profile);
  return { ok: true, profile, created };
}

function applyAttributes(state: AccountState, profile: StoredProfile, resource: JsonObject) {
  const attrs = asObject(resource.attributes);
  for (const key of SCALARS) {
    if (!(key in attrs)) continue;
    const value = attrs[key];
    const next = typeof value === "string" ? value : null;
    // Never move an identifier off another profile: Klaviyo keeps identifiers unique.
    const isIdentifier = (IDENTIFIERS as readonly string[]).includes(key);
    if (isIdentifier && next !== null) {
      const holder = holderOf(state, key as Identifier, next);
      if (holder && holder !== profile) continue;
    }
    const previous = profile[key];
    profile[key] = next;
    if (isIdentifier) state.noteIdentifier(profile, key as Identifier, previous);
  }
  if ("location" in attrs) profile.location = mergeLocation(profile.location, attrs.location);
  if ("properties" in attrs) {
    const props = attrs.properties;
    if (props === null) profile.properties = {};
    else mergeProperties(profile.properties, asObject(props));
  }
  const meta = asObject(resource.meta ?? attrs.meta);
  applyPatchProperties(profile.properties, asObject(meta.patch_properties));
}

function mergeLocation(
  current: ProfileLocation | null,
  patch: Json | undefined,
): ProfileLocation | null {
  if (patch === null || patch === undefined) return null;
  const next: ProfileLocation = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(asObject(patch))) {
    if (value === null) delete next[key];
    else if (typeof value === "string" || typeof value === "number") next[key] = value;
  }
  return next;
}

/** Top-level keys only: a nested object replaces the old value, it is not merged into it. */
export function mergeProperties(target: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else target[key] = value;
  }
}

function applyPatchProperties(target: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(asObject(patch.append))) {
    const current = target[key];
    const list = Array.isArray(current) ? current : current === undefined ? [] : [current];
    target[key] = [...list, ...(Array.isArray(value) ? value : [value])];
  }
  for (const [key, value] of Object.entries(asObject(patch.unappend))) {
    const current = target[key];
    if (!Array.isArray(current)) continue;
    const drop = JSON.stringify(value);
    target[key] = current.filter((item) => JSON.stringify(item) !== drop);
  }
  const unset = patch.unset;
  const keys = typeof unset === "string" ? [unset] : Array.isArray(unset) ? unset : [];
  for (const key of keys) if (typeof key === "string") delete target[key];
}
