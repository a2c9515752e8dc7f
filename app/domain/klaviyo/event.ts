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
  properties: KlaviyoEventProperties;
  /** ISO date-time; Klaviyo keeps it to the second. */
  time: string;
  /** The loyalty event id: Klaviyo records only the first event per profile, metric and id. */
  uniqueId: string;
  profile: ProfileIdentity;
};

/** Maps a catalog event to its Klaviyo metric, properties (payload + member_* snapshot) and profile. */
export function klaviyoEvent(event: AnyLoyaltyEvent): KlaviyoEvent {
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
