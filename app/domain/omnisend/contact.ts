import type { ProfileProperties, ProfilePropertyValue, ReadyRewardProperty } from "../klaviyo";

/**
 * Who an Omnisend event or contact update is about. Omnisend needs an email or a phone (E.164) and
 * has no external id (omnisend.md §3, §4): a member with neither cannot be sent.
 */
export type OmnisendIdentity = { email: string } | { phone: string };

const E164 = /^\+[1-9]\d{6,14}$/;

export function omnisendIdentity(contact: {
  email: string | null;
  phone: string | null;
}): OmnisendIdentity | null {
  if (contact.email) return { email: contact.email };
  if (contact.phone && E164.test(contact.phone)) return { phone: contact.phone };
  return null;
}

export type OmnisendPropertyValue = string | number | boolean | string[];
export type OmnisendCustomProperties = Record<string, OmnisendPropertyValue>;

/**
 * Catalog §4 properties whose value is text. Omnisend documents no way to delete a custom property
 * (omnisend.md §4), so a text property that goes away is sent as "" (a segment "VIP tier is Gold"
 * stops matching); a number or date that goes away is left out, since "" would not be one.
 */
const TEXT_PROPERTIES = new Set([
  "vip_tier",
  "next_tier",
  "referral_code",
  "referral_url",
  "store_credit_currency",
  "store_credit_symbol",
  "store_credit_formatted_balance",
]);

/** Omnisend's naming rule for custom properties: Latin letters, digits and "_", ≤ 128 characters. */
const PROPERTY_NAME = /^[A-Za-z0-9_]{1,128}$/;

/**
 * The member's catalog §4 properties as Omnisend contact `customProperties`: the same names as in
 * Klaviyo (they already follow Omnisend's rule), nulls handled as above. Omnisend holds no objects
 * (lists of scalars are its "list" type), so each ready reward becomes one line of text.
 */
export function omnisendCustomProperties(
  properties: ProfileProperties,
  prefix: string,
): OmnisendCustomProperties {
  const custom: OmnisendCustomProperties = {};
  for (const [name, value] of Object.entries(properties)) {
    if (!PROPERTY_NAME.test(name))
      throw new TypeError(`"${name}" is not an Omnisend property name`);
    if (value !== null) custom[name] = omnisendValue(value);
    else if (TEXT_PROPERTIES.has(name.startsWith(prefix) ? name.slice(prefix.length) : name)) {
      custom[name] = "";
    }
  }
  return custom;
}

function omnisendValue(value: Exclude<ProfilePropertyValue, null>): OmnisendPropertyValue {
  if (!Array.isArray(value)) return value;
  return value.map((item) => (typeof item === "string" ? item : readyRewardLine(item)));
}

/** "LOYAL-5OFF-7QX2: $5.00 off, until 2027-01-31" (or without the date when it never expires). */
export function readyRewardLine(reward: ReadyRewardProperty): string {
  const until = reward.expires_on ? `, until ${reward.expires_on}` : "";
  return `${reward.code}: ${reward.value}${until}`;
}

/** POST /contacts: the contact, never welcomed or subscribed by us (consent is Shopify's). */
export type OmnisendContactUpdate = {
  identifiers: { type: "email" | "phone"; id: string; sendWelcomeMessage: false }[];
  customProperties: OmnisendCustomProperties;
};

export function contactUpdate(
  identity: OmnisendIdentity,
  customProperties: OmnisendCustomProperties,
): OmnisendContactUpdate {
  const [type, id] = "email" in identity ? ["email", identity.email] : ["phone", identity.phone];
  return {
    identifiers: [{ type: type as "email" | "phone", id, sendWelcomeMessage: false }],
    customProperties,
  };
}
