import type { LoyaltyEventType, PayloadOf } from "./catalog";
import { eventDefinition } from "./catalog";
import type { FlowTriggerDefinition, FlowTriggerPayload } from "./definition";
import type { AnyLoyaltyEvent, LoyaltyEvent } from "./loyalty-event";

export interface FlowTriggerRequest {
  /** Variables of `flowTriggerReceive(handle, payload)`. */
  readonly handle: string;
  readonly payload: FlowTriggerPayload;
}

/**
 * What to send to Flow for an event, or null when its type has no trigger (catalog "(none)").
 * De-duplication is the caller's job, keyed on event.id: flowTriggerReceive has no idempotency key.
 */
export function flowTriggerRequest(event: AnyLoyaltyEvent): FlowTriggerRequest | null {
  return requestFor(event);
}

function requestFor<T extends LoyaltyEventType>(event: LoyaltyEvent<T>): FlowTriggerRequest | null {
  // The definition of type T has a trigger over PayloadOf<T>; TS cannot resolve the generic index.
  const trigger = eventDefinition(event.type).flowTrigger as FlowTriggerDefinition<
    PayloadOf<T>
  > | null;
  if (trigger === null) return null;
  return { handle: trigger.handle, payload: trigger.flowPayload(event.payload, event.snapshot) };
}
