import {
  eventDefinition,
  klaviyoEventProperties,
  type AnyLoyaltyEvent,
  type KlaviyoEventProperties,
  type LoyaltyEventType,
} from "../events";
import { invitationOf } from "../klaviyo";
import type { OmnisendCustomProperties, OmnisendIdentity } from "./contact";

/**
 * `origin` of every event the app sends. Omnisend tells events apart by name and origin, exactly
 * (omnisend.md §3): it must never change, or merchants' automations stop matching.
 */
export const OMNISEND_ORIGIN = "loyalty-rewards-app";

/**
 * The Omnisend event name of a catalog event: its Klaviyo metric in lower case, as Omnisend's own
 * events are named ("placed order" → "loyalty points added"). Public: automations match on it.
 */
export function omnisendEventName(type: LoyaltyEventType): string {
  return eventDefinition(type).klaviyoMetric.toLowerCase();
}

/** POST /events body (EventRequest in the events contract). */
export type OmnisendEvent = {
  eventName: string;
  /** The loyalty event id (a v4 UUID). Omnisend deduplicates on it only for history. */
  eventID: string;
  eventTime: string;
  origin: string;
  /** Omnisend's recommended events only (commerce events, ADR 0071); empty for custom events. */
  eventVersion?: string;
  contact: ({ email: string } | { phone: string }) & {
    customProperties?: OmnisendCustomProperties;
  };
  properties: KlaviyoEventProperties | Readonly<Record<string, unknown>>;
};

/**
 * A catalog event as Omnisend receives it: the same properties as in Klaviyo (payload keys, then
 * the member_* snapshot), and the contact with the member's current custom properties, so one
 * request records the event and refreshes the profile (omnisend.md §3). An invitation
 * (referral.sent to a friend) goes to the friend's address with the invitation's own properties
 * and none of the advocate's.
 */
export function omnisendEvent(
  event: AnyLoyaltyEvent,
  contact: { identity: OmnisendIdentity; customProperties: OmnisendCustomProperties | null },
): OmnisendEvent {
  const base = {
    eventName: omnisendEventName(event.type),
    eventID: event.id,
    eventTime: event.occurredAt,
    origin: OMNISEND_ORIGIN,
  };
  if (invitationOf(event) !== null) {
    const { invitation_id: _id, ...properties } = event.payload as Record<string, string | null>;
    return { ...base, contact: { ...contact.identity }, properties };
  }
  return {
    ...base,
    contact: contact.customProperties
      ? { ...contact.identity, customProperties: contact.customProperties }
      : { ...contact.identity },
    properties: klaviyoEventProperties(event.type, event.payload as never, event.snapshot),
  };
}
