import {
  eventDefinition,
  klaviyoEventProperties,
  type AnyLoyaltyEvent,
  type KlaviyoEventProperties,
} from "../events";
import { profileIdentity, type ProfileIdentity } from "./identity";

/** One loyalty event as Klaviyo receives it (the SDK's camelCase attribute names). */
export type KlaviyoEvent = {
  metric: string;
  /** Scalars for loyalty events; commerce events (ADR 0071) also carry lists such as `Items`. */
  properties: KlaviyoEventProperties | Readonly<Record<string, unknown>>;
  /** Monetary value (commerce events: the order total), in `valueCurrency`. */
  value?: number;
  valueCurrency?: string;
  /** ISO date-time; Klaviyo keeps it to the second. */
  time: string;
  /** The loyalty event id: Klaviyo records only the first event per profile, metric and id. */
  uniqueId: string;
  profile: ProfileIdentity;
};

/** The invitation id of a referral.sent that goes to the invited friend (null: any other event). */
export function invitationOf(event: AnyLoyaltyEvent): string | null {
  return event.type === "referral.sent"
    ? ((event.payload as { invitation_id: string | null }).invitation_id ?? null)
    : null;
}

/**
 * Maps a catalog event to its Klaviyo metric, properties (payload + member_* snapshot) and profile.
 * An invitation (referral.sent with an invitation id) goes to the friend instead: on the profile
 * of the address the advocate typed (`invitee`, from the invitation read at send time), with the
 * invitation's own properties only — the advocate's points and tier are not the friend's to see.
 */
export function klaviyoEvent(
  event: AnyLoyaltyEvent,
  invitee?: ProfileIdentity | null,
): KlaviyoEvent {
  if (invitationOf(event) !== null) {
    if (!invitee) {
      throw new Error("The invitation's address was erased (not sent within 7 days): not sent");
    }
    const { invitation_id: _id, ...properties } = event.payload as Record<string, string | null>;
    return {
      metric: eventDefinition(event.type).klaviyoMetric,
      properties,
      time: event.occurredAt,
      uniqueId: event.id,
      profile: invitee,
    };
  }
  return {
    metric: eventDefinition(event.type).klaviyoMetric,
    properties: klaviyoEventProperties(event.type, event.payload as never, event.snapshot),
    time: event.occurredAt,
    uniqueId: event.id,
    profile: profileIdentity({
      customerId: event.customerId,
      email: event.snapshot.email,
      phone: event.snapshot.phone,
    }),
  };
}
